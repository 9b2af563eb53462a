#!/usr/bin/env bash
# The QC job against fastp and FastQC on the same file, in one run, page cache warm:
#   examples/bench/qc-speed.sh [FASTQ]
# Without FASTQ it simulates one (art_illumina, HiSeq 2500, 1.6 M reads of 150 bp, ~507 MB) in
# $QC_BENCH_DIR (default /tmp/fastq-mmap-qc-bench). Prints wall and CPU (user + sys) time of each
# tool, the job's speed relative to the others, the load average, and whether the job's
# fastqc_data.txt equals FastQC's. Needs a build (mvn -B -q -DskipTests package), art_illumina,
# fastp and fastqc.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir="${QC_BENCH_DIR:-/tmp/fastq-mmap-qc-bench}"
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
name=$(basename "$file"); name="${name%.gz}"; name="${name%.fastq}"; name="${name%.fq}"
rm -rf "$dir/job" "$dir/fastqc" "$dir/fastp" && mkdir -p "$dir/job" "$dir/fastqc" "$dir/fastp"
cat "$file" > /dev/null
echo "load before: $(uptime)"
t() { /usr/bin/time -f "%e %U %S" -o "$dir/$1.time" "${@:2}"; }
t job "$root/bin/run-example" --master 'local[2]' qc "$file" --out "$dir/job" --report fastqc \
  > "$dir/job.log" 2>&1
t fastp fastp -w 2 -i "$file" -j "$dir/fastp/r.json" -h "$dir/fastp/r.html" > "$dir/fastp.log" 2>&1
t fastqc fastqc -t 1 -o "$dir/fastqc" "$file" > "$dir/fastqc.log" 2>&1
echo "load after:  $(uptime)"
for x in job fastp fastqc; do
  read -r wall user sys < "$dir/$x.time"
  printf '%-7s wall %6.1f s  cpu %6.1f s\n' "$x" "$wall" "$(echo "$user + $sys" | bc)"
done
jw=$(cut -d' ' -f1 "$dir/job.time")
for x in fastp fastqc; do
  printf 'job speed / %s speed (wall): %.2f\n' "$x" "$(echo "$(cut -d' ' -f1 "$dir/$x.time") / $jw" | bc -l)"
done
unzip -o -q "$dir/fastqc/${name}_fastqc.zip" -d "$dir/fastqc"
if cmp -s "$dir/fastqc/${name}_fastqc/fastqc_data.txt" "$dir/job/${name}_fastqc/fastqc_data.txt"; then
  echo "fastqc_data.txt: byte-identical to FastQC's"
else
  echo "fastqc_data.txt: DIFFERS from FastQC's"
fi
