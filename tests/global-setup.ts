/** Global test setup: nothing shared yet. */
export default function setup(): void {}
