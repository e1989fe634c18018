// Command sign writes signed slash commands for scripts/load.sh: a
// timestamp (now), then N signatures, one a line, of the body
// "BODY&n=<i>" for i from 1 to N, as Slack signs a request with the
// signing secret. The bot accepts each signed request once, so a load test
// needs one signature per request it sends.
package main

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"log"
	"os"
	"strconv"
	"time"
)

func main() {
	secret := flag.String("secret", "", "the signing secret")
	body := flag.String("body", "", "the form body of the request, without its n")
	n := flag.Int("n", 100000, "how many signed requests")
	flag.Parse()
	if *secret == "" || *body == "" {
		log.Fatal("sign: -secret and -body are required")
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, ts)
	mac := hmac.New(sha256.New, []byte(*secret))
	for i := 1; i <= *n; i++ {
		fmt.Fprintln(w, sign(mac, ts, *body+"&n="+strconv.Itoa(i)))
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
}

func sign(mac hash.Hash, ts, body string) string {
	mac.Reset()
	mac.Write([]byte("v0:" + ts + ":" + body))
	return hex.EncodeToString(mac.Sum(nil))
}
