#!/usr/bin/env python3
"""Checks that a WebAssembly module keeps its stack first, at the size expected, and its
allocator's deallocation out of line.

Rust's wasm32 target links with --stack-first: the stack occupies the lowest addresses and
grows down towards 0, below the static data and the heap. A stack that overflows then runs
below address 0 and traps, instead of silently overwriting the heap (docs/toolchain.md, "The
WebAssembly stack"). This reads the module's first global (the stack pointer, initialised to
the top of the stack) and its data segments, and fails unless the stack ends where the data
begins and is the expected size.

The second check reads the module's name section (the build keeps it; wasm-bindgen removes
it later) for the allocator shim `__rust_dealloc`. When the standard library is built at a
size-optimising level, the shim and dlmalloc's `free` are small enough to be inlined into
waymark-core's functions, and there LLVM folded dlmalloc's read of a chunk header after a
zeroed allocation to the constant 0, so the allocator's size check panicked (docs/toolchain.md,
"The allocator panic on the Debian path"). Kept as its own function, the shim is never inlined.

    scripts/check-wasm-layout.py module.wasm [expected_stack_bytes]
"""
import sys


def leb(data, i, signed=False):
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    if signed and byte & 0x40:
        result -= 1 << shift
    return result, i


def layout(path):
    data = open(path, "rb").read()
    if data[:4] != b"\0asm":
        raise SystemExit(f"{path}: not a WebAssembly module")
    stack_top = data_start = None
    i = 8
    while i < len(data):
        section = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if section == 6 and stack_top is None:  # globals: the first is __stack_pointer
            _, j = leb(data, i)
            kind, mutable, opcode = data[j], data[j + 1], data[j + 2]
            if kind == 0x7F and mutable == 1 and opcode == 0x41:  # mutable i32, i32.const
                stack_top, _ = leb(data, j + 3, signed=True)
        if section == 11:  # data segments with a constant offset
            count, j = leb(data, i)
            offsets = []
            for _ in range(count):
                flags, j = leb(data, j)
                if flags == 0:
                    j += 1  # i32.const
                    offset, j = leb(data, j, signed=True)
                    j += 1  # end
                    offsets.append(offset)
                elif flags == 2:
                    _, j = leb(data, j)
                    j += 1
                    offset, j = leb(data, j, signed=True)
                    j += 1
                    offsets.append(offset)
                length, j = leb(data, j)
                j += length
            data_start = min(offsets) if offsets else None
        i = end
    return stack_top, data_start


def function_names(path):
    """Function names from the module's `name` custom section (empty if it has none)."""
    data = open(path, "rb").read()
    names = []
    i = 8
    while i < len(data):
        section = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if section == 0:
            name_len, j = leb(data, i)
            if data[j : j + name_len] == b"name":
                j += name_len
                while j < end:
                    kind = data[j]
                    sub_size, j = leb(data, j + 1)
                    sub_end = j + sub_size
                    if kind == 1:  # function names
                        count, k = leb(data, j)
                        for _ in range(count):
                            _, k = leb(data, k)
                            length, k = leb(data, k)
                            names.append(data[k : k + length].decode("utf-8", "replace"))
                            k += length
                    j = sub_end
        i = end
    return names


def main():
    path = sys.argv[1]
    expected = int(sys.argv[2]) if len(sys.argv) > 2 else 1024 * 1024
    stack_top, data_start = layout(path)
    if stack_top is None or data_start is None:
        raise SystemExit(f"{path}: no stack pointer or no data segments found")
    if stack_top > data_start:
        raise SystemExit(f"{path}: the stack (top {stack_top}) is not below the data (from {data_start}): an overflow would overwrite memory instead of trapping")
    if stack_top != expected:
        raise SystemExit(f"{path}: the stack is {stack_top} bytes, expected {expected}")
    names = function_names(path)
    if not names:
        raise SystemExit(f"{path}: no name section, so the allocator cannot be checked")
    if not any(name.endswith("__rust_dealloc") for name in names):
        raise SystemExit(f"{path}: the allocator's __rust_dealloc was inlined into its callers, where LLVM can fold dlmalloc's chunk-header read (docs/toolchain.md): build the standard library at opt-level 3")
    print(f"ok: {path}: stack first, {stack_top // 1024} KiB, data from {data_start}; __rust_dealloc out of line")


if __name__ == "__main__":
    main()
