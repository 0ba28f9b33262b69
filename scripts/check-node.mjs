// Fails early, with a sentence, when a script runs under a Node older than the project supports.
// The root devDependency `node` pins the runtime that pnpm scripts use, so this only trips when a
// script is run by hand with the system Node.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Cartrita needs Node >= 22.12; this is ${process.version}. Run scripts through pnpm, which uses the pinned runtime.`,
  );
  process.exit(1);
}
