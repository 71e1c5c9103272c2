/** What a person recognises a session by: the browser and system from its `User-Agent`. */
export interface Device {
  /** "Firefox on Windows", "Chrome on Android", "curl", or "Unknown device". */
  name: string;
  mobile: boolean;
}

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\bOPR\//, 'Opera'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bChromium\//, 'Chromium'],
  [/\b(?:Chrome|HeadlessChrome|CriOS)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export function describeDevice(userAgent: string | undefined): Device {
  if (!userAgent) return { name: 'Unknown device', mobile: false };
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const mobile = /\bMobi|\biPhone\b|\bAndroid\b/.test(userAgent);
  if (browser && system) return { name: `${browser} on ${system}`, mobile };
  if (browser || system) return { name: (browser ?? system) as string, mobile };
  // A script or another client: its product name ("curl/8.5.0" -> "curl").
  const product = /^[A-Za-z][\w.-]*/.exec(userAgent)?.[0];
  return { name: product ?? 'Unknown device', mobile: false };
}
