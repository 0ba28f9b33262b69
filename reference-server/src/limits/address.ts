/** @module The address a limit counts a caller under. */
import { isIPv6 } from 'node:net';

/** An IPv4 address as is; an IPv6 address as its /64 network (IPv4-mapped ones as IPv4). */
export const addressKey = (ip: string): string => {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.split('%')[0]?.split('::') ?? [];
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === '' ? [] : tail.split(':');
  const zeros = ip.includes('::') ? Array(8 - headParts.length - tailParts.length).fill('0') : [];
  const groups = [...headParts, ...zeros, ...tailParts];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`;
};
