"""Writes sample.fastq: 2,000 synthetic Illumina-like reads (seed 42).

Lengths 100-150 bp (most 150, as after adapter trimming), GC around 45 %, a few Ns, qualities
falling along the read as on a real run, and a handful of duplicated reads. Run from this folder:
python3 make_sample.py
"""

import random

rng = random.Random(42)
BASES = "ACGT"
duplicates = []
with open("sample.fastq", "w", encoding="ascii", newline="\n") as out:
    for i in range(2000):
        if duplicates and rng.random() < 0.03:
            seq = rng.choice(duplicates)
        else:
            length = 150 if rng.random() < 0.7 else rng.randint(100, 149)
            seq = "".join(
                "N" if rng.random() < 0.002 else rng.choices(BASES, weights=[28, 22, 23, 27])[0]
                for _ in range(length)
            )
            if rng.random() < 0.02:
                duplicates.append(seq)
        qual = []
        for pos in range(len(seq)):
            mean = 37 - 12 * (pos / 150) ** 2
            q = 2 if seq[pos] == "N" else max(2, min(41, int(rng.gauss(mean, 3))))
            qual.append(chr(q + 33))
        x, y = rng.randint(1000, 20000), rng.randint(1000, 200000)
        out.write(f"@SAMPLE:1:FC42:1:{1101 + i // 500}:{x}:{y} 1:N:0:ATCACG\n{seq}\n+\n{''.join(qual)}\n")
