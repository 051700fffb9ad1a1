#!/bin/bash
# A sharded vtsim sweep as a Slurm job array: each array task runs one shard
# (SLURM_ARRAY_TASK_ID is its index, SLURM_ARRAY_TASK_COUNT the count) and
# writes one file per unit into UNITS, on a file system all nodes share.
# A task that is requeued or rerun skips the units it already wrote.
#
#   sbatch deploy/slurm-sweep.sh deploy/sweep.yaml units
#
# With a merge that waits for every task:
#
#   jid=$(sbatch --parsable deploy/slurm-sweep.sh deploy/sweep.yaml units)
#   sbatch --dependency=afterok:$jid --wrap 'vtsim merge units --out report.txt'
#
#SBATCH --job-name=vtsim-sweep
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --requeue
#SBATCH --output=vtsim-sweep-%A_%a.out
set -euo pipefail

config=${1:?usage: sbatch slurm-sweep.sh CONFIG.yaml [UNITS_DIR]}
units=${2:-units}

exec vtsim sweep "$config" --shard auto --dir "$units" --workers "${SLURM_CPUS_PER_TASK:-1}"
