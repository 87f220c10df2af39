#!/bin/sh
# Remove IP addresses from the container's interface and its configuration.
#
# IPDELALL  "yes": remove every address of the interface
# IP_ADDR   otherwise, the addresses to remove (a prefix given here is ignored: the
#           configured one is used)
# VE_STATE  starting | running | stopped; a stopped container only loses the config
# NETDEV    the interface (venet0)
. "${0%/*}/functions"

VE_STATE=${VE_STATE:-running}
STYLE=$(dist_style)
[ "$STYLE" = unknown ] && error "no network configuration to edit" $E_FS
[ "$IPDELALL" = yes ] || need_var IP_ADDR

# v4_prefix ALIAS: the prefix length configured for an alias.
v4_prefix()
{
	local mask
	case $STYLE in
	debian)
		mask=$(awk -v dev="$1" '$1 == "iface" { cur = $2 } cur == dev && $1 == "netmask" { print $2 }' \
			$DEBIAN_IFACES)
		;;
	redhat)
		mask=$(get_param $REDHAT_DIR/ifcfg-$1 NETMASK)
		;;
	esac
	mask_to_prefix "${mask:-255.255.255.255}"
}

# v6_configured: every IPv6 ADDR/PREFIX in the configuration, one per line.
v6_configured()
{
	case $STYLE in
	debian)
		sed -n -e "s|^[[:space:]]*up ip -6 addr add \([^ ]*\) dev $NETDEV\$|\1|p" $DEBIAN_IFACES
		;;
	redhat)
		for item in $(get_param $REDHAT_DIR/ifcfg-$NETDEV IPV6ADDR_SECONDARIES); do
			echo "$item"
		done
		;;
	esac
}

# v4_aliases: every alias of the interface in the configuration, one per line.
v4_aliases()
{
	case $STYLE in
	debian)
		sed -n -e "s/^iface \($NETDEV:[0-9][0-9]*\) .*/\1/p" $DEBIAN_IFACES
		;;
	redhat)
		ls $REDHAT_DIR | sed -n -e "s/^ifcfg-\($NETDEV:[0-9][0-9]*\)\$/\1/p"
		;;
	esac
}

# unconfig_v4 ALIAS: drop an alias from the configuration.
unconfig_v4()
{
	case $STYLE in
	debian) drop_stanza $DEBIAN_IFACES "$1" ;;
	redhat) rm -f "$REDHAT_DIR/ifcfg-$1" || error "cannot remove ifcfg-$1" $E_FS ;;
	esac
}

# unconfig_v6 ADDR/PREFIX: drop an IPv6 address from the configuration.
unconfig_v6()
{
	local file list
	case $STYLE in
	debian)
		sed -i -e "\\|^[[:space:]]*up ip -6 addr add $1 dev $NETDEV\$|d" $DEBIAN_IFACES ||
			error "cannot edit $DEBIAN_IFACES" $E_FS
		# An inet6 stanza left without addresses goes too.
		if ! grep -q "up ip -6 addr add .* dev $NETDEV\$" $DEBIAN_IFACES; then
			drop_stanza $DEBIAN_IFACES $NETDEV
		fi
		;;
	redhat)
		file=$REDHAT_DIR/ifcfg-$NETDEV
		list=$(list_del "$(get_param $file IPV6ADDR_SECONDARIES)" "$1")
		if [ -n "$list" ]; then
			put_param $file IPV6ADDR_SECONDARIES "$list"
		else
			del_param $file IPV6ADDR_SECONDARIES
			del_param $file IPV6INIT
		fi
		;;
	esac
}

# live_del_v4 ADDR PREFIX ALIAS and live_del_v6 ADDR/PREFIX: the running interface.
live_del_v4()
{
	[ "$VE_STATE" = stopped ] && return 0
	if have_iproute; then
		ip addr del "$1/$2" dev $NETDEV
	else
		ifconfig "$3" down
	fi || warn "could not remove $1 from $NETDEV"
}

live_del_v6()
{
	[ "$VE_STATE" = stopped ] && return 0
	if have_iproute; then
		ip -6 addr del "$1" dev $NETDEV
	else
		# net-tools' own spelling, with the address family named.
		ifconfig $NETDEV inet6 del "$1"
	fi || warn "could not remove $1 from $NETDEV"
}

if [ "$IPDELALL" = yes ]; then
	v6=$(v6_configured)
	v4=$(v4_aliases)
	for alias in $v4; do
		unconfig_v4 "$alias"
		have_iproute || live_del_v4 - - "$alias"
		echo "removed $alias"
	done
	for ip in $v6; do
		unconfig_v6 "$ip"
		have_iproute || live_del_v6 "$ip"
		echo "removed $ip"
	done
	if have_iproute && [ "$VE_STATE" != stopped ]; then
		ip addr flush dev $NETDEV || warn "could not flush $NETDEV"
	fi
	exit 0
fi

status=0
for ip in $IP_ADDR; do
	addr=$(addr_part "$ip")
	if is_ipv6 "$addr"; then
		item=$(v6_configured | grep -F "$addr/" | head -n 1)
		if [ -z "$item" ]; then
			warn "$addr is not configured on $NETDEV"
			status=1
			continue
		fi
		unconfig_v6 "$item"
		live_del_v6 "$item"
		echo "removed $item"
	else
		alias=$(alias_of "$addr")
		if [ -z "$alias" ]; then
			warn "$addr is not configured on $NETDEV"
			status=1
			continue
		fi
		prefix=$(v4_prefix "$alias")
		unconfig_v4 "$alias"
		live_del_v4 "$addr" "$prefix" "$alias"
		echo "removed $addr/$prefix from $alias"
	fi
done
exit $status
