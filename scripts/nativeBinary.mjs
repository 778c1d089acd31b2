// Which OS and CPU a native library is built for, from its first bytes: ELF (Linux), Mach-O
// thin or universal (macOS), PE (Windows). check-vsix.mjs uses it so a VSIX cannot pass with a
// library that merely has the right file name.

/** Bytes of a file's start that binaryPlatform needs (PE headers sit a few hundred bytes in). */
export const HEADER_BYTES = 4096;

const ELF_MACHINES = { 0x3e: 'x64', 0xb7: 'arm64' };
const MACHO_CPUS = { 0x01000007: 'x64', 0x0100000c: 'arm64' };
const PE_MACHINES = { 0x8664: 'x64', 0xaa64: 'arm64' };

/** `{ os, archs }` for a native binary's header, or undefined when it is none of the three. */
export function binaryPlatform(header) {
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    const machine = header[5] === 2 ? header.readUInt16BE(18) : header.readUInt16LE(18);
    return { os: 'linux', archs: [ELF_MACHINES[machine] ?? `elf-machine-${machine}`] };
  }
  if (header.length >= 8 && header.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = header.readUInt32LE(4);
    return { os: 'darwin', archs: [MACHO_CPUS[cpu] ?? `macho-cpu-${cpu}`] };
  }
  const fat = header.length >= 8 ? header.readUInt32BE(0) : 0;
  if (fat === 0xcafebabe || fat === 0xcafebabf) {
    const count = header.readUInt32BE(4);
    const size = fat === 0xcafebabe ? 20 : 32;
    const archs = [];
    for (let i = 0; i < count && 8 + i * size + 4 <= header.length; i++) {
      const cpu = header.readUInt32BE(8 + i * size);
      archs.push(MACHO_CPUS[cpu] ?? `macho-cpu-${cpu}`);
    }
    return { os: 'darwin', archs };
  }
  if (header.length >= 64 && header.readUInt16BE(0) === 0x4d5a) {
    const offset = header.readUInt32LE(0x3c);
    if (offset + 6 <= header.length && header.readUInt32BE(offset) === 0x50450000) {
      const machine = header.readUInt16LE(offset + 4);
      return { os: 'win32', archs: [PE_MACHINES[machine] ?? `pe-machine-${machine}`] };
    }
  }
  return undefined;
}

/** The OS and CPU a vsce target runs on: `alpine-arm64` is Linux on arm64. */
export function targetPlatform(target) {
  const [os, arch] = target.split('-');
  return { os: os === 'alpine' ? 'linux' : os, arch };
}
