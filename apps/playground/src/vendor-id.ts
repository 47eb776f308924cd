export const VENDOR_IDS = ['light', 'lightbug', 'lightfi'] as const;

export type VendorId = (typeof VENDOR_IDS)[number];

export function isVendorId(value: string): value is VendorId {
  return (VENDOR_IDS as readonly string[]).includes(value);
}
