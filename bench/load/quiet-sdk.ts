/**
 * Imported first by the load bench: @livekit/rtc-node logs every connect at debug level unless
 * NODE_ENV is production, which at 200 candidates buries the figures.
 */
process.env.NODE_ENV = 'production';
