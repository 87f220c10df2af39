#!/bin/sh
# Add IP addresses to the container's interface: written to the distribution's network
# configuration and, unless the container is stopped, set on the live interface.
#
# IP_ADDR   addresses, IPv4 and IPv6, each optionally /PREFIX (32 and 128 otherwise)
# VE_STATE  starting | running | stopped; "starting" also brings the link up and
#           sets the default routes
# NETDEV    the interface (venet0)
# MTU       with VE_STATE=starting: the link's MTU (optional)
. "${0%/*}/functions"

need_var IP_ADDR
VE_STATE=${VE_STATE:-running}
case $VE_STATE in
starting | running | stopped) ;;
*) error "unknown VE_STATE: $VE_STATE" $E_BADARG ;;
esac
STYLE=$(dist_style)
[ "$STYLE" = unknown ] && error "no network configuration to edit" $E_FS

# config_v4 ADDR PREFIX ALIAS: write the alias that carries an IPv4 address.
config_v4()
{
	local addr=$1 mask
	mask=$(prefix_to_mask "$2")
	case $STYLE in
	debian)
		printf '\nauto %s\niface %s inet static\n\taddress %s\n\tnetmask %s\n' \
			"$3" "$3" "$addr" "$mask" >>$DEBIAN_IFACES || error "cannot write $DEBIAN_IFACES" $E_FS
		;;
	redhat)
		local file=$REDHAT_DIR/ifcfg-$3
		: >"$file" || error "cannot write $file" $E_FS
		put_param "$file" DEVICE "$3"
		put_param "$file" ONBOOT yes
		put_param "$file" IPADDR "$addr"
		put_param "$file" NETMASK "$mask"
		;;
	esac
}

# config_v6 ADDR/PREFIX: add an IPv6 address to the interface's configuration.
config_v6()
{
	case $STYLE in
	debian)
		if ! grep -q "^iface $NETDEV inet6 " $DEBIAN_IFACES; then
			printf '\nauto %s\niface %s inet6 manual\n' "$NETDEV" "$NETDEV" >>$DEBIAN_IFACES ||
				error "cannot write $DEBIAN_IFACES" $E_FS
		fi
		awk -v dev="$NETDEV" -v line="	up ip -6 addr add $1 dev $NETDEV" '
			{ print }
			$1 == "iface" && $2 == dev && $3 == "inet6" { print line }
		' $DEBIAN_IFACES >$DEBIAN_IFACES.new || error "cannot rewrite $DEBIAN_IFACES" $E_FS
		replace_file $DEBIAN_IFACES
		;;
	redhat)
		local file=$REDHAT_DIR/ifcfg-$NETDEV list
		list=$(get_param "$file" IPV6ADDR_SECONDARIES)
		put_param "$file" IPV6INIT yes
		put_param "$file" IPV6ADDR_SECONDARIES "$(list_add "$list" "$1")"
		;;
	esac
}

# configured ADDR: succeed when ADDR is already in the configuration.
configured()
{
	case $STYLE in
	debian) grep -Fwq "$1" $DEBIAN_IFACES ;;
	redhat) cat $REDHAT_DIR/ifcfg-$NETDEV* 2>/dev/null | grep -Fwq "$1" ;;
	esac
}

# The main interface's own file on Red Hat systems.
if [ "$STYLE" = redhat ] && [ ! -f $REDHAT_DIR/ifcfg-$NETDEV ]; then
	file=$REDHAT_DIR/ifcfg-$NETDEV
	: >$file || error "cannot write $file" $E_FS
	put_param $file DEVICE $NETDEV
	put_param $file ONBOOT yes
	put_param $file BOOTPROTO static
fi

if [ "$VE_STATE" = starting ]; then
	if have_iproute; then
		ip link set $NETDEV up || error "cannot bring $NETDEV up" $E_CMD
		if [ -n "$MTU" ]; then
			ip link set dev $NETDEV mtu "$MTU" || error "cannot set the MTU of $NETDEV" $E_CMD
		fi
	else
		ifconfig $NETDEV ${MTU:+mtu "$MTU"} up || error "cannot bring $NETDEV up" $E_CMD
	fi
fi

have_v4= have_v6=
for ip in $IP_ADDR; do
	check_addr "$ip"
	addr=$(addr_part "$ip")
	prefix=$(prefix_part "$ip")
	if configured "$addr"; then
		echo "$addr is already configured on $NETDEV"
		continue
	fi
	if is_ipv6 "$addr"; then
		have_v6=yes
		config_v6 "$addr/$prefix"
		if [ "$VE_STATE" != stopped ]; then
			if have_iproute; then
				ip -6 addr add "$addr/$prefix" dev $NETDEV
			else
				ifconfig $NETDEV add "$addr/$prefix"
			fi || error "cannot add $addr/$prefix to $NETDEV" $E_CMD
		fi
		echo "added $addr/$prefix on $NETDEV"
	else
		have_v4=yes
		alias=$NETDEV:$(next_alias)
		config_v4 "$addr" "$prefix" "$alias"
		if [ "$VE_STATE" != stopped ]; then
			if have_iproute; then
				ip addr add "$addr/$prefix" dev $NETDEV label $alias
			else
				ifconfig $alias "$addr" netmask "$(prefix_to_mask "$prefix")" up
			fi || error "cannot add $addr/$prefix to $alias" $E_CMD
		fi
		echo "added $addr/$prefix on $alias"
	fi
done

if [ "$VE_STATE" = starting ]; then
	if [ -n "$have_v4" ]; then
		if have_iproute; then
			ip route replace default dev $NETDEV
		else
			route add default dev $NETDEV
		fi || error "cannot set the default route" $E_CMD
	fi
	if [ -n "$have_v6" ]; then
		if have_iproute; then
			ip -6 route replace default dev $NETDEV
		else
			route -A inet6 add default dev $NETDEV
		fi || error "cannot set the IPv6 default route" $E_CMD
	fi
fi
exit 0
