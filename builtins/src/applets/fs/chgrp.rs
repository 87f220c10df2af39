//! `chgrp`: change the group of files (chown's code with a GROUP operand).

use crate::prelude::*;

/// The `chgrp` applet.
pub const APPLET: Applet = Applet::new("chgrp", main, Run::Fork)
    .usage("[-RhHLPcfv] GROUP FILE... | --reference=RFILE FILE...")
    .help(
        "Change the group of each FILE to GROUP (a name or a number).\n\n\
         -R\tOperate on files and directories recursively\n\
         -h\tChange symbolic links themselves, not their targets\n\
         -H\tWith -R, follow symbolic links on the command line\n\
         -L\tWith -R, follow every symbolic link\n\
         -P\tWith -R, follow no symbolic link (the default)\n\
         -c\tReport only the changes made\n\
         -v\tReport every file processed\n\
         -f\tSuppress most error messages\n\
         --reference=RFILE\tUse RFILE's group",
    );

fn main(ctx: &mut Ctx<'_>) -> Result<(), Error> {
    super::chown::run_owner(ctx, true)
}
