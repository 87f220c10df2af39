#!/bin/sh
# Report the container's network as a status page would: the addresses of NETDEV
# parsed out of `ip -o` (one per line), then ip's own listings and route's table.
. "${0%/*}/functions"

have_iproute || error "ip is not available" $E_CMD
echo "IPv4 on $NETDEV:"
ip -o -4 addr show dev $NETDEV 2>/dev/null |
	awk '{ for (i = 5; i < NF; i++) if ($i == "global") print "  " $4 " label " $(i + 1) }' |
	sed -e 's/\\$//'
echo "IPv6 on $NETDEV:"
ip -o -6 addr show dev $NETDEV scope global 2>/dev/null | while read -r _ _ _ addr _; do
	echo "  $addr"
done
echo "default routes: $(ip route show default 2>/dev/null | grep -c .) IPv4, $(ip -6 route show default 2>/dev/null | grep -c .) IPv6"
echo "--- ip addr show dev $NETDEV"
ip addr show dev $NETDEV
echo "--- ip route"
ip route
echo "--- ip -6 route show dev $NETDEV"
ip -6 route show dev $NETDEV
echo "--- ip link show $NETDEV"
ip link show $NETDEV
echo "--- ip -br addr"
ip -br addr
echo "--- route -n"
route -n
exit 0
