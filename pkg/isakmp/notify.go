package isakmp

import "encoding/binary"

// NotifyType is the Notify Message Type of a Notify payload.
type NotifyType uint16

// Error types of RFC 2408 section 3.14.1.
const (
	NotifyInvalidPayloadType      NotifyType = 1
	NotifyDOINotSupported         NotifyType = 2
	NotifySituationNotSupported   NotifyType = 3
	NotifyInvalidCookie           NotifyType = 4
	NotifyInvalidMajorVersion     NotifyType = 5
	NotifyInvalidMinorVersion     NotifyType = 6
	NotifyInvalidExchangeType     NotifyType = 7
	NotifyInvalidFlags            NotifyType = 8
	NotifyInvalidMessageID        NotifyType = 9
	NotifyInvalidProtocolID       NotifyType = 10
	NotifyInvalidSPI              NotifyType = 11
	NotifyInvalidTransformID      NotifyType = 12
	NotifyAttributesNotSupported  NotifyType = 13
	NotifyNoProposalChosen        NotifyType = 14
	NotifyBadProposalSyntax       NotifyType = 15
	NotifyPayloadMalformed        NotifyType = 16
	NotifyInvalidKeyInformation   NotifyType = 17
	NotifyInvalidIDInformation    NotifyType = 18
	NotifyInvalidCertEncoding     NotifyType = 19
	NotifyInvalidCertificate      NotifyType = 20
	NotifyCertTypeUnsupported     NotifyType = 21
	NotifyInvalidCertAuthority    NotifyType = 22
	NotifyInvalidHashInformation  NotifyType = 23
	NotifyAuthenticationFailed    NotifyType = 24
	NotifyInvalidSignature        NotifyType = 25
	NotifyAddressNotification     NotifyType = 26
	NotifySALifetime              NotifyType = 27
	NotifyCertificateUnavailable  NotifyType = 28
	NotifyUnsupportedExchangeType NotifyType = 29
	NotifyUnequalPayloadLengths   NotifyType = 30
)

// Status types: CONNECTED (RFC 2408 section 3.14.1), the IPsec DOI's
// (RFC 2407 section 4.6.3) and dead peer detection's (RFC 3706).
const (
	NotifyConnected         NotifyType = 16384
	NotifyResponderLifetime NotifyType = 24576
	NotifyReplayStatus      NotifyType = 24577
	NotifyInitialContact    NotifyType = 24578
	NotifyDPDRUThere        NotifyType = 36136
	NotifyDPDRUThereAck     NotifyType = 36137
)

// IsError reports whether t is in the error range (1-16383) of RFC 2408
// section 3.14.1.
func (t NotifyType) IsError() bool { return t >= 1 && t < 16384 }

// Notify is the Notification payload (RFC 2408 section 3.14).
type Notify struct {
	DOI         uint32
	Protocol    ProtocolID
	SPI         []byte // at most 255 bytes; 16 (the cookies) or empty for ISAKMP
	MessageType NotifyType
	Data        []byte
}

// Type returns PayloadNotify.
func (Notify) Type() PayloadType { return PayloadNotify }

const notifyFixedLen = 8 // DOI, protocol, SPI size, message type

func (n Notify) appendBody(b []byte) ([]byte, error) {
	if len(n.SPI) > 0xff {
		return nil, encodeError("notify", "SPI of %d bytes", len(n.SPI))
	}
	b = binary.BigEndian.AppendUint32(b, n.DOI)
	b = append(b, byte(n.Protocol), byte(len(n.SPI)))
	b = binary.BigEndian.AppendUint16(b, uint16(n.MessageType))
	b = append(b, n.SPI...)
	return append(b, n.Data...), nil
}

func decodeNotify(b []byte, off int) (*Notify, error) {
	if len(b) < notifyFixedLen {
		return nil, malformed(off, "notify payload", ErrTruncated)
	}
	n := &Notify{
		DOI:         binary.BigEndian.Uint32(b),
		Protocol:    ProtocolID(b[4]),
		MessageType: NotifyType(binary.BigEndian.Uint16(b[6:])),
	}
	spiEnd := notifyFixedLen + int(b[5])
	if spiEnd > len(b) {
		return nil, malformed(off+5, "notify SPI", ErrTruncated)
	}
	n.SPI = b[notifyFixedLen:spiEnd:spiEnd]
	n.Data = b[spiEnd:]
	return n, nil
}
