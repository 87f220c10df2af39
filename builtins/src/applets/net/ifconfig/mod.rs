//! `ifconfig`: list interfaces in the classic net-tools/BusyBox format, or configure one
//! (IPv4 address, netmask, broadcast, point-to-point, flags, MTU, MAC, IPv6 `add`/`del`)
//! through socket ioctls; rtnetlink only stands in for /proc in a root without it.

pub mod rtnl;
pub mod set;
pub mod show;
pub mod sockio;

use crate::prelude::*;

/// The `ifconfig` applet.
pub const APPLET: Applet = Applet::new("ifconfig", main, Run::InProc)
    .dir(InstallDir::Sbin)
    .usage("[-a] [IFACE] [ADDRESS] [OPTIONS...]")
    .help(
        "Show or configure network interfaces.\n\n\
         -a\t\t\tShow every interface, not only the up ones\n\
         ADDRESS\t\t\tSet the IPv4 address (or add an IPv6 one)\n\
         netmask M, broadcast B\tSet the netmask or broadcast address (-broadcast clears)\n\
         pointopoint P\t\tSet the peer address (-pointopoint clears)\n\
         add|del ADDR[/PLEN]\tAdd or delete an IPv6 address\n\
         hw ether MAC\t\tSet the hardware address\n\
         mtu N, metric N, txqueuelen N\n\
         up, down, [-]arp, [-]promisc, [-]allmulti, multicast, [-]trailers, [-]dynamic",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    let mut args: Vec<Vec<u8>> = ctx.args.to_vec();
    let all = args.first().is_some_and(|a| a == b"-a");
    if all {
        args.remove(0);
    }
    let sock = sockio::Sock::new(false)?;
    match args.split_first() {
        None => {
            let text = show::list(&sock, all, None)?;
            ctx.stdout.write_all(text.as_bytes())?;
        }
        Some((name, [])) => {
            let text = show::list(&sock, all, Some(name))?;
            ctx.stdout.write_all(text.as_bytes())?;
        }
        Some((name, words)) => set::apply(&sock, name, words)?,
    }
    Ok(())
}
