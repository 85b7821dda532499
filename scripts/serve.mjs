#!/usr/bin/env node
// Serves the built app (dist/app) on localhost and prints its URL.
import { preview } from 'vite';

const server = await preview({ preview: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4173) } });
server.printUrls();
console.log('Press Ctrl+C to stop.');
