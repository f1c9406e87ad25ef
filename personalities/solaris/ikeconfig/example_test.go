package ikeconfig_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/ikemu/ikemu/personalities/solaris/ikeconfig"
)

func Example() {
	const config = `p2_pfs 2
{
	label "to the subnet"
	local_addr 10.1.86.51
	remote_addr 10.1.80.0/24
	p1_xform { auth_method preshared oakley_group 5 auth_alg sha encr_alg aes }
}
`
	f, err := ikeconfig.Parse(strings.NewReader(config))
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range f.Rules {
		if err := ikeconfig.WriteRule(os.Stdout, &f.Rules[i]); err != nil {
			fmt.Println(err)
		}
	}

	_, err = ikeconfig.Parse(strings.NewReader("{ label \"x\" local_addr 10.0.0.1 }\n"))
	fmt.Println(err)
	// Output:
	// {
	// 	label	"to the subnet"
	// 	local_id_type	ip
	// 	local_addr	10.1.86.51
	// 	remote_addr	10.1.80.0 - 10.1.80.255
	// 	p2_lifetime_secs	28800
	// 	p2_softlife_secs	24000
	// 	p2_idletime_secs	13333
	// 	p2_lifetime_kb	29491200
	// 	p2_softlife_kb	24576000
	// 	p2_pfs	2
	// 	p1_xform { encr_alg aes-cbc auth_alg sha1 oakley_group 5 auth_method preshared p1_lifetime_secs 3600 }
	// }
	// line 1 near token '}': rule doesn't specify remote address.
}
