package engine

// agreeMode settles the exchange mode: "any" defers to the other side,
// and two "any" rules use main mode, as in.iked initiates.
func agreeMode(i, r ExchangeMode) (ExchangeMode, bool) {
	switch {
	case i == XchgAny && r == XchgAny:
		return XchgMain, true
	case i == XchgAny:
		return r, true
	case r == XchgAny || r == i:
		return i, true
	}
	return 0, false
}

// selectProposal picks the first initiator transform the responder
// accepts: same method, cipher, hash and group, and overlapping key
// lengths (the longest common one); the lifetime is the smaller.
func selectProposal(init, resp []Transform) (Transform, bool) {
	for _, x := range init {
		for _, y := range resp {
			if x.Auth != y.Auth || x.Cipher != y.Cipher || x.Hash != y.Hash || x.Group != y.Group {
				continue
			}
			bits, ok := commonKeyBits(x, y)
			if !ok {
				continue
			}
			sel := x
			sel.KeyMin, sel.KeyMax = 0, bits
			sel.LifetimeSecs = minNonZero(x.LifetimeSecs, y.LifetimeSecs)
			sel.LifetimeKB = minNonZero(x.LifetimeKB, y.LifetimeKB)
			return sel, true
		}
	}
	return Transform{}, false
}

// commonKeyBits is the negotiated key length in bits.
func commonKeyBits(x, y Transform) (int, bool) {
	switch x.Cipher {
	case CipherDES:
		return 64, true
	case Cipher3DES:
		return 192, true
	case CipherBlowfish:
		return 128, true
	}
	lo := max(rangeLo(x), rangeLo(y))
	hi := min(rangeHi(x), rangeHi(y))
	if lo > hi {
		return 0, false
	}
	return hi, true
}

func rangeLo(x Transform) int {
	if x.KeyMin == 0 && x.KeyMax == 0 {
		return 128
	}
	if x.KeyMin == 0 {
		return x.KeyMax
	}
	return x.KeyMin
}

func rangeHi(x Transform) int {
	if x.KeyMax == 0 {
		return 256
	}
	return x.KeyMax
}

func minNonZero(a, b uint32) uint32 {
	switch {
	case a == 0:
		return b
	case b == 0:
		return a
	}
	return min(a, b)
}
