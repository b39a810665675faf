import { argsOf, type Command } from '../command';

/** `sockspec image`: the target image, built from the installed packages when its inputs changed. */
export const imageCommand: Command = {
  name: 'image',
  summary: 'build the target image from the installed packages (only when its inputs changed)',
  usage: `Usage: sockspec image [--force]

Builds the image every target runs (Debian, Node.js, tcpdump, nftables, and the agent with its programs) from the
packages installed here, tags it sockspec-target:<hash of its inputs> and :latest, and prints the tag. Nothing is
built when an image with the same inputs exists. Where the public base image cannot be pulled, the base is built
from Debian packages with debootstrap (root needed). A run does this by itself before its first target.

  --force   build even if the image exists
  --help    show this text
`,
  async run(args) {
    const { values } = argsOf(args, { force: { type: 'boolean' } }, false);
    const { ensureTargetImage } = await import('@sockspec/testkit/runner');
    const tag = await ensureTargetImage({
      force: values.force === true,
      log: (line) => process.stderr.write(`[image] ${line}\n`),
    });
    process.stdout.write(`${tag}\n`);
    return 0;
  },
};
