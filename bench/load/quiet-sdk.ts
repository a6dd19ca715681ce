import { stopNativeLogCapture } from '../../server/recorder/native-logs';

/**
 * Imported first by the load bench: @livekit/rtc-node logs every connect at debug level unless
 * NODE_ENV is production, which at 200 candidates buries the figures.
 */
process.env.NODE_ENV = 'production';
// And the native layer's log capture, as the server's recorders do (server/recorder/native-logs.ts):
// the simulated candidates stand for browsers on other machines and should cost this one little.
stopNativeLogCapture();
