#!/bin/sh
# Device nodes a container needs at start, the /dev/pts and /dev/shm directories, and
# one entry in /etc/fstab for an extra mount (its mount point created).
#
# MNT_POINT   where the extra file system goes (optional)
# MNT_TYPE    its type (tmpfs)
# MNT_SOURCE  its source (none)
# MNT_OPTS    its options (defaults)
# VE_STATE    "running": also mount it now, from the fstab entry
. "${0%/*}/functions"

# node PATH MODE TYPE MAJOR MINOR: make a device node unless it is there.
node()
{
	[ -e "$1" ] && return 0
	mknod -m "$2" "$1" "$3" ${4:+"$4" "$5"} || error "cannot make $1" $E_FS
	echo "made $1"
}

mkdir -p /dev/pts /dev/shm || error "cannot make /dev/pts" $E_FS
chmod 1777 /dev/shm
node /dev/null 666 c 1 3
node /dev/zero 666 c 1 5
node /dev/full 666 c 1 7
node /dev/random 666 c 1 8
node /dev/urandom 666 c 1 9
node /dev/tty 666 c 5 0
node /dev/console 600 c 5 1
node /dev/ptmx 666 c 5 2
node /dev/initctl 600 p
for fd in 0:stdin 1:stdout 2:stderr; do
	[ -e /dev/${fd#*:} ] || [ -L /dev/${fd#*:} ] || ln -s /proc/self/fd/${fd%%:*} /dev/${fd#*:}
done
[ -e /dev/fd ] || [ -L /dev/fd ] || ln -s /proc/self/fd /dev/fd

if [ -n "$MNT_POINT" ]; then
	line="${MNT_SOURCE:-none}	$MNT_POINT	${MNT_TYPE:-tmpfs}	${MNT_OPTS:-defaults}	0	0"
	[ -f /etc/fstab ] || : >/etc/fstab || error "cannot create /etc/fstab" $E_FS
	if awk -v mp="$MNT_POINT" '$2 == mp { found = 1 } END { exit !found }' /etc/fstab; then
		awk -v mp="$MNT_POINT" -v line="$line" '$2 == mp { print line; next } { print }' \
			/etc/fstab >/etc/fstab.new || error "cannot rewrite /etc/fstab" $E_FS
		replace_file /etc/fstab
		echo "replaced the fstab entry for $MNT_POINT"
	else
		echo "$line" >>/etc/fstab || error "cannot write /etc/fstab" $E_FS
		echo "added an fstab entry for $MNT_POINT"
	fi
	mkdir -p "$MNT_POINT" || error "cannot make $MNT_POINT" $E_FS
	if [ "$VE_STATE" = running ]; then
		mount "$MNT_POINT" || error "cannot mount $MNT_POINT" $E_CMD
		echo "mounted $MNT_POINT"
	fi
fi
ls -l /dev | awk 'NR > 1 { print $1, $NF }'
exit 0
