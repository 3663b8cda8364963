// Bridges mediasoup's libsrtp 3 calls to Debian's libsrtp 2 (copied over the worker's
// include/srtp.h so `#include <srtp.h>` resolves here before the system header).
// libsrtp 3 takes a separate output buffer and size_t lengths; libsrtp 2 works in place with
// int lengths, so copy first when the buffers differ.
#ifndef TELEMED_SRTP_COMPAT_H
#define TELEMED_SRTP_COMPAT_H

#include <srtp2/srtp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define srtp_err_status_buffer_small ((srtp_err_status_t)28)
#define srtp_err_status_cryptex_err ((srtp_err_status_t)29)

static inline srtp_err_status_t telemed_srtp3_call(
  srtp_err_status_t (*fn)(srtp_t, void*, int*),
  srtp_t ctx,
  const uint8_t* in,
  size_t inLen,
  uint8_t* out,
  size_t* outLen)
{
	if (out != in)
		memmove(out, in, inLen);
	int len = (int)inLen;
	const srtp_err_status_t err = fn(ctx, out, &len);
	if (err == srtp_err_status_ok)
		*outLen = (size_t)len;
	return err;
}

static inline srtp_err_status_t telemed_srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mki*/)
{
	if (rtpLen + SRTP_MAX_TRAILER_LEN > *srtpLen)
		return srtp_err_status_buffer_small;
	return telemed_srtp3_call(srtp_protect, ctx, rtp, rtpLen, srtp, srtpLen);
}

static inline srtp_err_status_t telemed_srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mki*/)
{
	if (rtcpLen + (SRTP_MAX_TRAILER_LEN + 4) > *srtcpLen)
		return srtp_err_status_buffer_small;
	return telemed_srtp3_call(srtp_protect_rtcp, ctx, rtcp, rtcpLen, srtcp, srtcpLen);
}

static inline srtp_err_status_t telemed_srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
	return telemed_srtp3_call(srtp_unprotect, ctx, srtp, srtpLen, rtp, rtpLen);
}

static inline srtp_err_status_t telemed_srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
	return telemed_srtp3_call(srtp_unprotect_rtcp, ctx, srtcp, srtcpLen, rtcp, rtcpLen);
}

#define srtp_protect telemed_srtp_protect
#define srtp_protect_rtcp telemed_srtp_protect_rtcp
#define srtp_unprotect telemed_srtp_unprotect
#define srtp_unprotect_rtcp telemed_srtp_unprotect_rtcp
#define srtp_stream_remove srtp_remove_stream

#endif
