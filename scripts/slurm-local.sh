#!/usr/bin/env bash
# A single-node Slurm cluster on localhost for the Slurm tests and for trying `reaper study --slurm`:
# munged, slurmctld and slurmd started directly (no systemd), configuration and state in one folder.
#   scripts/slurm-local.sh          start (idempotent); prints the line to export SLURM_CONF
#   scripts/slurm-local.sh stop     stop slurmctld and slurmd (munged stays)
# Needs Debian's slurm-wlm and munge (apt-get install slurm-wlm munge) and root (slurmd runs jobs as their user).
set -euo pipefail
DIR=${REAPER_SLURM_DIR:-/tmp/reaper-slurm}
CONF=$DIR/slurm.conf
export SLURM_CONF=$CONF

stop() {
    for pidfile in "$DIR/slurmd.pid" "$DIR/slurmctld.pid"; do
        [ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
}

if [ "${1:-start}" = stop ]; then stop; exit 0; fi

for tool in munged slurmctld slurmd sinfo; do
    command -v "$tool" >/dev/null || { echo "slurm-local: $tool is not installed (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "slurm-local: run as root (slurmd starts jobs as their users)" >&2; exit 1; }

# sinfo retries for seconds when no controller listens: ask it only once the port is open
node_up() {
    (exec 3<>/dev/tcp/127.0.0.1/6817) 2>/dev/null && sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'
}

if [ -s "$CONF" ] && node_up; then echo "export SLURM_CONF=$CONF"; exit 0; fi

mkdir -p "$DIR/state" "$DIR/spool" /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
[ -s /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=128 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }

HOST=$(hostname -s)
CPUS=$(nproc)
MEM=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
cat > "$CONF" <<EOF
ClusterName=reaper-local
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# a requeued job may start again only after its credential expired: keep that short
AuthInfo=cred_expire=5
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/pgid
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobRequeue=1
KillWait=20
MinJobAge=600
InactiveLimit=0
SchedulerParameters=sched_interval=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF

stop
sleep 0.5
if ! pgrep -x munged >/dev/null; then
    su -s /bin/sh munge -c munged 2>/dev/null || munged --force
fi
slurmctld -c -f "$CONF"            # -c: a clean start, no jobs from an earlier session
slurmd -f "$CONF"

for _ in $(seq 1 120); do
    if node_up; then echo "export SLURM_CONF=$CONF"; exit 0; fi
    sleep 0.25
done
echo "slurm-local: the node did not become idle in 30 s; see $DIR/slurmctld.log and $DIR/slurmd.log" >&2
sinfo >&2 || true
exit 1
