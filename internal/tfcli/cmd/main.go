package main

import (
	"fmt"
	"os"

	"github.com/opendrill/terraform-provider-hwc/internal/tfcli"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "tfcli:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: path | config FILE PLUGINDIR | provider-host")
	}
	switch args[0] {
	case "path":
		p, err := tfcli.Path()
		if err != nil {
			return err
		}
		fmt.Println(p)
		return nil
	case "config":
		if len(args) != 3 {
			return fmt.Errorf("usage: config FILE PLUGINDIR")
		}
		return tfcli.WriteConfig(args[1], args[2])
	case "provider-host":
		c, err := tfcli.Find()
		if err != nil {
			return err
		}
		fmt.Println(c.ProviderHost())
		return nil
	}
	return fmt.Errorf("unknown command %q", args[0])
}
