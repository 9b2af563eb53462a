#!/usr/bin/env bash
# The QC job against fastp and FastQC on the same files, in one run, page cache warm:
#   examples/bench/qc-speed.sh [FASTQ]           one file: job local[2], fastp -w 2, FastQC -t 1
#   QC_BENCH_MODE=2g examples/bench/qc-speed.sh  the same on 2 GiB (FASTQ, or the simulated file,
#                                                written 4 times over into one file, then deleted)
#   QC_BENCH_MODE=many examples/bench/qc-speed.sh
#                                                100 samples (FASTQ cut in 100 files at read
#                                                boundaries; a 2 GB FASTQ gives the issue's 20 MB
#                                                samples): one job local[2] over all, FastQC -t 2
# Without FASTQ it simulates one (art_illumina, HiSeq 2500, 1.6 M reads of 150 bp, ~507 MB) in
# $QC_BENCH_DIR (default /tmp/fastq-mmap-qc-bench). Prints wall and CPU (user + sys) time of each
# tool, the job's speed relative to the others, the load average, and whether the job's
# fastqc_data.txt equals FastQC's. Needs a build (mvn -B -q -DskipTests package), art_illumina,
# fastp and fastqc.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir="${QC_BENCH_DIR:-/tmp/fastq-mmap-qc-bench}"
mode="${QC_BENCH_MODE:-one}"
mkdir -p "$dir"
file="${1:-}"
if [ -z "$file" ]; then
  file="$dir/art.fq"
  if [ ! -s "$file" ]; then
    python3 -c "
import random
random.seed(13)
s=''.join(random.choice('ACGT') for _ in range(1000000))
open('$dir/ref.fa','w').write('>chr\n'+'\n'.join(s[i:i+60] for i in range(0,len(s),60))+'\n')"
    art_illumina -ss HS25 -i "$dir/ref.fa" -l 150 -c 1600000 -o "$dir/art" -na -rs 7 -q > "$dir/art.log"
  fi
fi
t() { /usr/bin/time -f "%e %U %S" -o "$dir/$1.time" "${@:2}"; }
report() {
  for x in "$@"; do
    read -r wall user sys < "$dir/$x.time"
    printf '%-7s wall %6.1f s  cpu %6.1f s\n' "$x" "$wall" "$(echo "$user + $sys" | bc)"
  done
  read -r jw ju js < "$dir/job.time"
  for x in "${@:2}"; do
    read -r w u s < "$dir/$x.time"
    printf 'job speed / %s speed: wall %.2f, cpu %.2f\n' "$x" "$(echo "$w / $jw" | bc -l)" \
      "$(echo "($u + $s) / ($ju + $js)" | bc -l)"
  done
}
rm -rf "$dir/job" "$dir/fastqc" "$dir/fastp" && mkdir -p "$dir/job" "$dir/fastqc" "$dir/fastp"
if [ "$mode" = many ]; then
  # 100 samples: the file cut at read boundaries into 100 pieces.
  rm -rf "$dir/many" && mkdir -p "$dir/many"
  reads=$(( $(wc -l < "$file") / 4 ))
  split -d -a 3 -l $(( (reads + 99) / 100 * 4 )) --additional-suffix=.fq "$file" "$dir/many/s"
  files=("$dir"/many/s*.fq)
  cat "${files[@]}" > /dev/null
  echo "${#files[@]} files of $(du -sh "$dir/many" | cut -f1) in all"
  echo "load before: $(uptime)"
  t job "$root/bin/run-example" --master 'local[2]' qc "${files[@]}" --out "$dir/job" \
    --report fastqc > "$dir/job.log" 2>&1
  t fastqc fastqc -t 2 -o "$dir/fastqc" "${files[@]}" > "$dir/fastqc.log" 2>&1
  echo "load after:  $(uptime)"
  report job fastqc
  same=0
  for f in "${files[@]}"; do
    n=$(basename "$f" .fq)
    unzip -o -q "$dir/fastqc/${n}_fastqc.zip" -d "$dir/fastqc"
    if cmp -s "$dir/fastqc/${n}_fastqc/fastqc_data.txt" "$dir/job/${n}_fastqc/fastqc_data.txt"; then
      same=$((same + 1))
    fi
  done
  echo "fastqc_data.txt byte-identical to FastQC's for $same of ${#files[@]} samples"
  rm -rf "$dir/many"
  exit 0
fi
if [ "$mode" = 2g ]; then
  big="$dir/big.fq"
  size=$(stat -c %s "$file")
  : > "$big"
  while [ "$(stat -c %s "$big")" -lt $((2 * 1024 * 1024 * 1024 - size / 2)) ]; do
    cat "$file" >> "$big"
  done
  trap 'rm -f "$big"' EXIT
  file="$big"
  echo "$(stat -c %s "$file") bytes: the input written $(( $(stat -c %s "$file") / size )) times"
fi
name=$(basename "$file"); name="${name%.gz}"; name="${name%.fastq}"; name="${name%.fq}"
cat "$file" > /dev/null
echo "load before: $(uptime)"
t job "$root/bin/run-example" --master 'local[2]' qc "$file" --out "$dir/job" --report fastqc \
  > "$dir/job.log" 2>&1
t fastp fastp -w 2 -i "$file" -j "$dir/fastp/r.json" -h "$dir/fastp/r.html" > "$dir/fastp.log" 2>&1
t fastqc fastqc -t 1 -o "$dir/fastqc" "$file" > "$dir/fastqc.log" 2>&1
echo "load after:  $(uptime)"
report job fastp fastqc
unzip -o -q "$dir/fastqc/${name}_fastqc.zip" -d "$dir/fastqc"
if cmp -s "$dir/fastqc/${name}_fastqc/fastqc_data.txt" "$dir/job/${name}_fastqc/fastqc_data.txt"; then
  echo "fastqc_data.txt: byte-identical to FastQC's"
else
  echo "fastqc_data.txt: DIFFERS from FastQC's"
fi
