#!/usr/bin/env python3
"""Make crafted variants of a valid ELF executable for tests/elfload/run.sh
(32- or 64-bit, little-endian).

  patch-elf.py memsz0 IN OUT FILESZ   the first PT_NOTE becomes a PT_LOAD with
                                      p_memsz 0 and p_filesz FILESZ (it lies in
                                      the text, so offset and address agree)
  patch-elf.py interp IN OUT PATH     PT_INTERP names PATH (NUL-padded; it
                                      must fit in the old string's room)
"""
import struct
import sys

PT_LOAD, PT_INTERP, PT_NOTE = 1, 3, 4


def phdrs(data):
    is64 = data[4] == 2
    if is64:
        phoff, = struct.unpack_from("<Q", data, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    else:
        phoff, = struct.unpack_from("<I", data, 0x1C)
        phentsize, phnum = struct.unpack_from("<HH", data, 0x2A)
    return is64, [phoff + i * phentsize for i in range(phnum)]


def field_offsets(is64):
    # offsets of p_type, p_offset, p_filesz, p_memsz and their format
    if is64:
        return {"type": (0, "<I"), "offset": (8, "<Q"), "filesz": (32, "<Q"), "memsz": (40, "<Q")}
    return {"type": (0, "<I"), "offset": (4, "<I"), "filesz": (16, "<I"), "memsz": (20, "<I")}


def get(data, ph, f, name):
    off, fmt = f[name]
    return struct.unpack_from(fmt, data, ph + off)[0]


def put(data, ph, f, name, value):
    off, fmt = f[name]
    struct.pack_into(fmt, data, ph + off, value)


def main():
    op, src, dst, arg = sys.argv[1:5]
    data = bytearray(open(src, "rb").read())
    is64, table = phdrs(data)
    f = field_offsets(is64)
    want = PT_NOTE if op == "memsz0" else PT_INTERP
    ph = next((p for p in table if get(data, p, f, "type") == want), None)
    if ph is None:
        sys.exit("%s: no %s program header" % (src, "PT_NOTE" if op == "memsz0" else "PT_INTERP"))
    if op == "memsz0":
        put(data, ph, f, "type", PT_LOAD)
        put(data, ph, f, "filesz", int(arg, 0))
        put(data, ph, f, "memsz", 0)
    elif op == "interp":
        off, room = get(data, ph, f, "offset"), get(data, ph, f, "filesz")
        path = arg.encode() + b"\0"
        if len(path) > room:
            sys.exit("%s: %s does not fit in PT_INTERP (%d bytes)" % (src, arg, room))
        data[off:off + room] = path + b"\0" * (room - len(path))
    else:
        sys.exit("unknown operation " + op)
    open(dst, "wb").write(data)


main()
