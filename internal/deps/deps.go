//go:build tools

package deps

import (
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	_ "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	_ "github.com/aliyun/credentials-go/credentials"
	_ "github.com/hashicorp/terraform-plugin-framework/providerserver"
	_ "github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	_ "github.com/hashicorp/terraform-plugin-framework-validators/helpers/validatordiag"
	_ "github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	_ "github.com/hashicorp/terraform-plugin-go/tfprotov6"
	_ "github.com/hashicorp/terraform-plugin-log/tflog"
	_ "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	_ "github.com/hashicorp/terraform-plugin-testing/tfversion"
	_ "github.com/hashicorp/terraform-plugin-testing/statecheck"
	_ "github.com/hashicorp/terraform-plugin-testing/plancheck"
	_ "github.com/hashicorp/terraform-plugin-testing/knownvalue"
	_ "gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	_ "gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
	_ "github.com/nyaruka/phonenumbers"
	_ "github.com/google/go-cmp/cmp"
)
