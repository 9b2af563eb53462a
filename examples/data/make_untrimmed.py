"""Writes untrimmed.fastq: 400 synthetic 150 bp Illumina-like reads (seed 7) before adapter trimming.

About a quarter of the reads come from inserts shorter than the read, so the sequencer read on
into the TruSeq adapter (AGATCGGAAGAGCACACGTCTGAACTCCAGTCAC...) and then into the flow cell's
poly-A. The SQL example's adapter query finds them. Run from this folder: python3 make_untrimmed.py
"""

import random

rng = random.Random(7)
BASES = "ACGT"
ADAPTER = "AGATCGGAAGAGCACACGTCTGAACTCCAGTCACATCACGATCTCGTATGCCGTCTTCTGCTTG"
READ_LENGTH = 150
with open("untrimmed.fastq", "w", encoding="ascii", newline="\n") as out:
    for i in range(400):
        if rng.random() < 0.25:
            insert = rng.randint(60, 140)
        else:
            insert = READ_LENGTH
        seq = "".join(rng.choices(BASES, weights=[28, 22, 23, 27])[0] for _ in range(insert))
        seq = (seq + ADAPTER + "A" * READ_LENGTH)[:READ_LENGTH]
        qual = []
        for pos in range(len(seq)):
            mean = 36 - 14 * (pos / 150) ** 2
            qual.append(chr(max(2, min(41, int(rng.gauss(mean, 3)))) + 33))
        x, y = rng.randint(1000, 20000), rng.randint(1000, 200000)
        out.write(f"@UNTRIMMED:1:FC43:2:1101:{x}:{y} 1:N:0:GCCAAT\n{seq}\n+\n{''.join(qual)}\n")
