/** The image file the user picked or dropped (kept as a File: it is read later, in the worker). */
export const IMAGE_EXTENSIONS = ['.img', '.img.gz', '.img.zip', '.img.xz', '.zip', '.gz', '.xz', '.hddimg'] as const;

export class ImageChoice {
  file = $state.raw<File | null>(null);

  /** Whether the name looks like an image Preflash reads (the worker decides for sure). */
  static looksLikeImage(name: string): boolean {
    const lower = name.toLowerCase();
    return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
  }

  choose(file: File): void {
    this.file = file;
  }

  clear(): void {
    this.file = null;
  }
}

/** 1536 → "1.5 KB"; decimal units as file managers show them. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
