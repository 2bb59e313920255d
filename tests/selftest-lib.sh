# Sourced by the source checks' self-tests (check-*-selftest.sh), which define
# `plant TREE FILE LINE` (a fresh clean tree under $work whose FILE also
# contains LINE) before calling:
#
# expect_each_caught CHECK VIOLATION...: plants each "FILE|LINE" in its own
# tree and exits 1 unless CHECK rejects every one; sets $caught to how many.
expect_each_caught() {
  check=$1
  shift
  caught=0
  for violation in "$@"; do
    caught=$((caught + 1))
    file=${violation%%|*}
    line=${violation#*|}
    plant "bad$caught" "$file" "$line"
    if "$check" "$work/bad$caught" > /dev/null 2>&1; then
      echo "FAIL: violation not caught: $file: $line"
      exit 1
    fi
  done
}
