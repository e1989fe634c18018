package email_test

import (
	"encoding/base64"
	"io"
	"mime/quotedprintable"
	"strings"
)

func decoder(enc string, r io.Reader) io.Reader {
	switch strings.ToLower(enc) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}
