package email_test

import (
	"os"
	"testing"

	"github.com/tours-metropole/actionbot/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.RunBoth(m)) }
