package isakmp

import "encoding/binary"

// Delete is the Delete payload (RFC 2408 section 3.15).
type Delete struct {
	DOI      uint32
	Protocol ProtocolID
	// SPISize is the size of every SPI: 16 for an ISAKMP SA (the two
	// cookies, RFC 2408 section 3.15), 4 for AH and ESP.
	SPISize uint8
	SPIs    [][]byte
}

// Type returns PayloadDelete.
func (Delete) Type() PayloadType { return PayloadDelete }

const deleteFixedLen = 8 // DOI, protocol, SPI size, # of SPIs

func (d Delete) appendBody(b []byte) ([]byte, error) {
	if len(d.SPIs) > 0xffff {
		return nil, encodeError("delete", "%d SPIs", len(d.SPIs))
	}
	if d.SPISize == 0 && len(d.SPIs) > 0 {
		return nil, encodeError("delete", "SPIs of size 0")
	}
	b = binary.BigEndian.AppendUint32(b, d.DOI)
	b = append(b, byte(d.Protocol), d.SPISize)
	b = binary.BigEndian.AppendUint16(b, uint16(len(d.SPIs)))
	for i, spi := range d.SPIs {
		if len(spi) != int(d.SPISize) {
			return nil, encodeError("delete", "SPI %d has %d bytes, SPI size is %d", i, len(spi), d.SPISize)
		}
		b = append(b, spi...)
	}
	return b, nil
}

// decodeDelete requires the SPIs to fill the payload exactly. An SPI size
// of 0 with SPIs is refused: it names nothing and would let a short payload
// claim 65535 entries.
func decodeDelete(b []byte, off int) (*Delete, error) {
	if len(b) < deleteFixedLen {
		return nil, malformed(off, "delete payload", ErrTruncated)
	}
	d := &Delete{DOI: binary.BigEndian.Uint32(b), Protocol: ProtocolID(b[4]), SPISize: b[5]}
	count, size := int(binary.BigEndian.Uint16(b[6:])), int(d.SPISize)
	if size == 0 && count > 0 {
		return nil, malformed(off+5, "delete SPI size", ErrLength)
	}
	if count*size != len(b)-deleteFixedLen {
		return nil, malformed(off+6, "delete # of SPIs", ErrCount)
	}
	if count > 0 {
		d.SPIs = make([][]byte, count)
		for i := range d.SPIs {
			s := deleteFixedLen + i*size
			d.SPIs[i] = b[s : s+size : s+size]
		}
	}
	return d, nil
}
