/** Types for scripts/build-client.mjs (used by the browser tests). */
export declare const CLIENT_ENTRIES: string[];
export declare const CLIENT_OUTDIR: string;
export declare function buildClient(opts?: { outdir?: string; minify?: boolean }): Promise<string[]>;
export declare function bundleClient(opts?: { minify?: boolean }): Promise<Record<string, string>>;
