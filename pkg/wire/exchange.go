package wire

// Exchange is one side of one ISAKMP exchange (pkg/ikev1's initiators and
// responders). Handle takes a received message and says what to send back
// and whether the exchange is over:
//   - reply non-nil: send it (a next message, or a notify);
//   - done: the exchange ended, successfully when err is nil;
//   - not done and err non-nil: the message was refused (garbage, a bad
//     hash, a replay) and is dropped; the exchange goes on waiting.
type Exchange interface {
	Handle(msg []byte) (reply []byte, done bool, err error)
}

// Initiator is an Exchange that speaks first.
type Initiator interface {
	Exchange
	Start() ([]byte, error)
}
