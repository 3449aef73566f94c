// Command terraform-provider-alicloudrd serves the alicloudrd Terraform provider.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/alicloudrd/terraform-provider-alicloudrd/internal/provider"
)

// version is set by the release build (goreleaser ldflags).
var version = "dev"

func main() {
	var debug, printVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&printVersion, "version", false, "print the provider's version and exit")
	flag.Parse()

	if printVersion {
		fmt.Println("terraform-provider-alicloudrd", version)
		return
	}

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/alicloudrd/alicloudrd",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
