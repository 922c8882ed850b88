"""Independent reference for waymark_core::stats::bootstrap::Resampler.

Written from the published algorithms, not from the Rust code:
- SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference C, splitmix64.c) expands the u64 seed
  into the four state words, as rand_core's seed_from_u64 does for xoshiro256++;
- xoshiro256++ (Blackman & Vigna 2021; reference C, xoshiro256plusplus.c);
- each 64-bit output gives two 32-bit words, low half first;
- Lemire (2019) algorithm 5 maps a word to an index in 0..n, rejecting biased words.

Run: python3 tests/reference/resampler_reference.py  (prints the values the Rust test uses)
"""

M64 = (1 << 64) - 1


def splitmix64(state):
    while True:
        state = (state + 0x9E3779B97F4A7C15) & M64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        yield z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


def xoshiro256pp(seed):
    sm = splitmix64(seed)
    s = [next(sm) for _ in range(4)]
    while True:
        result = (rotl((s[0] + s[3]) & M64, 23) + s[0]) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        yield result


def words(seed):
    for out in xoshiro256pp(seed):
        yield out & 0xFFFFFFFF
        yield out >> 32


def indices(seed, n, count):
    w = words(seed)
    out = []
    threshold = ((1 << 32) - n) % n  # 2^32 mod n
    while len(out) < count:
        product = next(w) * n
        low = product & 0xFFFFFFFF
        if low >= n or low >= threshold:
            out.append(product >> 32)
    return out


if __name__ == "__main__":
    gen = xoshiro256pp(0)
    print("first outputs, seed 0:", [hex(next(gen)) for _ in range(3)])
    print("indices seed 42 n 1000:", indices(42, 1000, 12))
    print("indices seed 7 n 3:", indices(7, 3, 12))
    print("indices seed 2026 n 14531:", indices(2026, 14531, 8))
