#!/bin/sh
# Write the resolver configuration: the search list and the name servers replace the
# old ones, every other line of /etc/resolv.conf (options, comments) is kept.
#
# NAMESERVER    name server addresses, space separated
# SEARCHDOMAIN  search domains, space separated
. "${0%/*}/functions"

CFG=/etc/resolv.conf
[ -n "$NAMESERVER" ] || [ -n "$SEARCHDOMAIN" ] || error "neither NAMESERVER nor SEARCHDOMAIN is set" $E_BADARG
for ns in $NAMESERVER; do
	check_addr "$ns"
done

[ -f $CFG ] || : >$CFG || error "cannot create $CFG" $E_FS
{
	if [ -n "$SEARCHDOMAIN" ]; then
		echo "search $SEARCHDOMAIN"
	else
		grep -E '^(search|domain)[[:space:]]' $CFG
	fi
	if [ -n "$NAMESERVER" ]; then
		for ns in $NAMESERVER; do
			echo "nameserver $ns"
		done
	else
		grep '^nameserver[[:space:]]' $CFG
	fi
	grep -Ev '^(search|domain|nameserver)[[:space:]]' $CFG
} >$CFG.new
replace_file $CFG
echo "$(grep -c '^nameserver' $CFG) name server(s) in $CFG"
exit 0
