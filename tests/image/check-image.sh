#!/bin/sh
# check-image.sh ELF: fails unless ELF is a self-contained bare-metal image:
# a static x86_64 executable (ET_EXEC, ELF64) with no PT_INTERP, no dynamic
# section, no undefined symbol (weak ones included: they would be silent
# null calls), and no system-call instruction (syscall, sysenter, int $0x80:
# there is no kernel to answer). Prints the image's size on success.
#
# A static link drops undefined references from the symbol table (a weak one
# silently becomes address 0), so the image must be linked with
# -Wl,--emit-relocs (cmake/freestanding.cmake does): the kept relocations keep
# every referenced symbol visible. Check the unstripped image.
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 ELF" >&2
  exit 2
fi
elf=$1
fail() {
  echo "check-image: $elf: $*" >&2
  exit 1
}

[ -f "$elf" ] || fail "no such file"
header=$(readelf -hW "$elf" 2>/dev/null) || fail "not an ELF file"
echo "$header" | grep -Eq 'Class:[[:space:]]+ELF64' || fail "not a 64-bit ELF file"
echo "$header" | grep -Eq 'Machine:[[:space:]]+Advanced Micro Devices X86-64' || fail "not an x86_64 ELF file"
echo "$header" | grep -Eq 'Type:[[:space:]]+EXEC' || fail "not a static executable (ELF type is not EXEC)"

segments=$(readelf -lW "$elf")
echo "$segments" | grep -Eq '^[[:space:]]+INTERP[[:space:]]' && fail "has a PT_INTERP program header (wants a dynamic loader)"
echo "$segments" | grep -Eq '^[[:space:]]+DYNAMIC[[:space:]]' && fail "has a PT_DYNAMIC program header"
sections=$(readelf -SW "$elf")
echo "$sections" | grep -Eq '[[:space:]]\.(dynamic|interp|dynsym)[[:space:]]' && fail "has a dynamic-linking section"
echo "$sections" | grep -Eq '[[:space:]]\.symtab[[:space:]]' || fail "has no symbol table (check the unstripped image)"
echo "$sections" | grep -Eq '[[:space:]]\.rela\.text[[:space:]]' ||
  fail "has no relocation sections (link with -Wl,--emit-relocs, or undefined references go unseen)"

undefined=$(nm -u "$elf")
[ -z "$undefined" ] || fail "has undefined symbols:
$undefined"

# objdump prints "  addr:<TAB>mnemonic operands"; match the mnemonic only.
system_calls=$(objdump -d --no-show-raw-insn "$elf" |
  grep -E ':[[:space:]]+(syscall|sysenter|int[[:space:]]+\$0x80)([[:space:]]|$)' || true)
[ -z "$system_calls" ] || fail "contains system-call instructions:
$system_calls"

echo "$elf: static x86_64 image, no undefined symbol, no system call"
size "$elf"
echo "file size: $(wc -c <"$elf") bytes"
