/* paf_config_read: the configuration store is a directory, named by the
 * environment variable PAF_CONFIG_DIR; item "opt/paf/cert.pem" is the file
 * $PAF_CONFIG_DIR/opt/paf/cert.pem. Without the variable there is no store:
 * every name is unknown. Names that could leave the directory (absolute, or
 * with a ".." component) are refused. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paf/platform.h"

static int name_stays_inside(const char *name) {
  if (name[0] == '/') return 0;
  for (const char *part = name; part != NULL; part = strchr(part, '/')) {
    if (*part == '/') part++;
    if (strncmp(part, "..", 2) == 0 && (part[2] == '/' || part[2] == '\0')) return 0;
  }
  return 1;
}

static paf_result_t read_all(int fd, void *buf, size_t size, size_t *out_len) {
  struct stat status;
  if (fstat(fd, &status) != 0) return PAF_R_EUNSPEC;
  if (!S_ISREG(status.st_mode)) return PAF_R_EINVAL; /* a directory is no item */
  *out_len = (size_t)status.st_size;
  if (*out_len > size) return PAF_R_AGAIN;
  size_t done = 0;
  while (done < *out_len) {
    ssize_t n = read(fd, (char *)buf + done, *out_len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return PAF_R_EUNSPEC; /* an error, or the file shrank meanwhile */
    done += (size_t)n;
  }
  return PAF_R_OK;
}

paf_result_t paf_config_read(const char *name, void *buf, size_t size, size_t *out_len) {
  if (name == NULL || name[0] == '\0' || strlen(name) > PAF_CONFIG_NAME_MAX ||
      !name_stays_inside(name))
    return PAF_R_EINVAL;
  const char *dir = getenv("PAF_CONFIG_DIR");
  if (dir == NULL || dir[0] == '\0') return PAF_R_EINVAL;
  char path[PATH_MAX];
  int n = snprintf(path, sizeof path, "%s/%s", dir, name);
  if (n < 0 || (size_t)n >= sizeof path) return PAF_R_EINVAL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? PAF_R_EINVAL : PAF_R_EUNSPEC;
  paf_result_t result = read_all(fd, buf, size, out_len);
  close(fd);
  return result;
}
