# A pending (or verified) change is imported by <contact_id>:<phone_number or email_address>.
terraform import alicloudrd_message_contact_pending_update.ops_phone c-qL4HqKONzOM7:86-13912345678
terraform import alicloudrd_message_contact_pending_update.ops_email c-qL4HqKONzOM7:ops.oncall@example.com
