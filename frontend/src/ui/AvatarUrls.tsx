import { createContext, useContext } from 'react';

/**
 * How an avatar's server-relative URL becomes one the browser can load (the API may live on
 * another origin in development). Provided once by the signed-in app, so that every avatar,
 * however deep, resolves the same way without each parent passing it down.
 */
export const AvatarUrls = createContext<(path: string) => string>((path) => path);

export const useAvatarUrl = () => useContext(AvatarUrls);
