package notify

// tamper changes one hex digit of a signature, keeping its length and case.
func tamper(sig string) string {
	if sig == "" {
		return "0"
	}
	b := []byte(sig)
	if b[0] == '0' {
		b[0] = '1'
	} else {
		b[0] = '0'
	}
	return string(b)
}
