#!/bin/sh
# Rename the container: /etc/hostname, the host's own line of /etc/hosts (and
# /etc/sysconfig/network on Red Hat systems), then the running kernel's name.
#
# HOSTNM    the new name, short or fully qualified
. "${0%/*}/functions"

need_var HOSTNM
case $HOSTNM in
*[!A-Za-z0-9.-]* | -* | .*) error "bad host name: $HOSTNM" $E_BADARG ;;
esac
short=${HOSTNM%%.*}
tab=$(printf '\t')
old=$(hostname 2>/dev/null)

echo "$HOSTNM" >/etc/hostname || error "cannot write /etc/hostname" $E_FS

# The names for this host: "fqdn short", or just the name when it has no domain.
names=$HOSTNM
[ "$short" != "$HOSTNM" ] && names="$HOSTNM $short"

if [ ! -f /etc/hosts ]; then
	printf '127.0.0.1%slocalhost\n' "$tab" >/etc/hosts || error "cannot write /etc/hosts" $E_FS
fi
if grep -q '^127\.0\.1\.1[[:space:]]' /etc/hosts; then
	# Debian keeps the host's own name on 127.0.1.1.
	sed -i -e "s/^127\.0\.1\.1[[:space:]].*/127.0.1.1$tab$names/" /etc/hosts ||
		error "cannot edit /etc/hosts" $E_FS
elif [ -n "$old" ] && grep '^127\.0\.0\.1[[:space:]]' /etc/hosts | grep -Fwq "$old"; then
	# Others add it to the localhost line: the old name is replaced there.
	sed -i -e "/^127\.0\.0\.1[[:space:]]/ s/\([[:space:]]\)$old\([[:space:]]\|\$\)/\1$short\2/" \
		/etc/hosts || error "cannot edit /etc/hosts" $E_FS
else
	printf '127.0.1.1%s%s\n' "$tab" "$names" >>/etc/hosts || error "cannot write /etc/hosts" $E_FS
fi

if [ -f /etc/sysconfig/network ]; then
	put_param /etc/sysconfig/network HOSTNAME "$HOSTNM"
fi

hostname "$HOSTNM" || error "cannot set the host name" $E_CMD
echo "host name: $(hostname) (was ${old:-unset})"
# What the resolver makes of it, through /etc/hosts.
echo "short: $(hostname -s) fqdn: $(hostname -f 2>/dev/null || echo unknown)"
exit 0
