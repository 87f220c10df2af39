#!/bin/sh
# Set passwords: USERPW holds "user:password" pairs, space separated. A user that does
# not exist yet is created first (with a home directory), as vzctl --userpasswd does.
# USERPW_CRYPTED=yes: the passwords are crypt(3) hashes already (chpasswd -e).
. "${0%/*}/functions"

need_var USERPW
for pair in $USERPW; do
	case $pair in
	?*:*) ;;
	*) error "bad user:password pair: $pair" $E_BADARG ;;
	esac
	user=${pair%%:*}
	if ! grep -q "^$user:" /etc/passwd 2>/dev/null; then
		useradd -m "$user" || error "cannot create user $user" $E_CMD
		echo "created user $user"
	fi
done
opt=
[ "$USERPW_CRYPTED" = yes ] && opt=-e
echo "$USERPW" | tr ' ' '\n' | chpasswd $opt || error "cannot set the password(s)" $E_CMD
for pair in $USERPW; do
	user=${pair%%:*}
	# Only the shape of the new entry: its hash differs from run to run.
	grep "^$user:" /etc/shadow | cut -d: -f1,4- | sed -e 's/^/shadow entry: /'
done
exit 0
