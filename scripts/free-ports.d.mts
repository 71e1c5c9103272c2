export function freePorts(count: number, options?: { avoid?: readonly number[] }): Promise<number[]>;
export function freePort(): Promise<number>;
