#!/bin/sh
# Create a group and a user in it (with a home directory from /etc/skel).
#
# USER_NAME    the login name
# USER_UID     its uid (optional)
# USER_GROUP   its primary group, created when missing (USER_GID: its gid, optional)
# USER_GROUPS  supplementary groups, comma separated (optional)
# USER_SHELL   its shell (/bin/sh)
. "${0%/*}/functions"

need_var USER_NAME
need_var USER_GROUP
USER_SHELL=${USER_SHELL:-/bin/sh}

if grep -q "^$USER_GROUP:" /etc/group; then
	echo "group $USER_GROUP exists"
else
	groupadd ${USER_GID:+-g "$USER_GID"} "$USER_GROUP" ||
		error "cannot create group $USER_GROUP" $E_CMD
	echo "created group $(grep "^$USER_GROUP:" /etc/group)"
fi

if grep -q "^$USER_NAME:" /etc/passwd; then
	error "user $USER_NAME exists" $E_BADARG
fi
useradd -m -d "/home/$USER_NAME" -s "$USER_SHELL" -g "$USER_GROUP" \
	${USER_GROUPS:+-G "$USER_GROUPS"} ${USER_UID:+-u "$USER_UID"} "$USER_NAME" ||
	error "cannot create user $USER_NAME" $E_CMD
echo "created user $(grep "^$USER_NAME:" /etc/passwd)"
id "$USER_NAME"
groups "$USER_NAME"
ls -ld "/home/$USER_NAME" | awk '{ print $1, $3, $4 }'
exit 0
