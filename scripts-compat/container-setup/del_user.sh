#!/bin/sh
# Remove a user, with its home directory when USER_REMOVE_HOME=yes, and report what is
# left of it in the account files.
#
# USER_NAME         the login name
# USER_REMOVE_HOME  "yes": userdel -r
. "${0%/*}/functions"

need_var USER_NAME
grep -q "^$USER_NAME:" /etc/passwd || error "no user $USER_NAME" $E_BADARG
home=$(awk -F: -v u="$USER_NAME" '$1 == u { print $6 }' /etc/passwd)
gid=$(awk -F: -v u="$USER_NAME" '$1 == u { print $4 }' /etc/passwd)
group=$(awk -F: -v g="$gid" '$3 == g { print $1 }' /etc/group)

opt=
[ "$USER_REMOVE_HOME" = yes ] && opt=-r
# shadow's userdel warns about a missing mail spool: not our business here.
userdel $opt "$USER_NAME" 2>/dev/null || error "cannot remove user $USER_NAME" $E_CMD
echo "removed user $USER_NAME"
if [ -d "$home" ]; then
	echo "home $home kept"
else
	echo "home $home removed"
fi
if grep -q "^$group:" /etc/group; then
	echo "group $group kept"
else
	echo "group $group removed"
fi
members=$(grep -Ec "^[^:]*:[^:]*:[^:]*:(.*,)?$USER_NAME(,|\$)" /etc/group)
echo "still a member of $members group(s)"
exit 0
