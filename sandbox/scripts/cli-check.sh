#!/usr/bin/env bash
# Runs the AWS CLI against the sandbox and checks that every answer (successes and AWS-style
# errors) parses. Starts its own sandbox on a free port unless SANDBOX_URL is set.
# Every `aws` found is checked (e.g. a pip-installed v1 and Debian's v2); AWS_CLI=path picks one.
set -u
cd "$(dirname "$0")/../.."

clis=()
if [ -n "${AWS_CLI:-}" ]; then clis=("$AWS_CLI"); else
  while IFS= read -r p; do
    real=$(readlink -f "$p")
    dup=0; for c in "${clis[@]+"${clis[@]}"}"; do [ "$(readlink -f "$c")" = "$real" ] && dup=1; done
    [ $dup = 0 ] && clis+=("$p")
  done < <(which -a aws 2>/dev/null | awk '!seen[$0]++')
fi
if [ ${#clis[@]} -eq 0 ]; then
  echo "SKIP: the AWS CLI is not installed (Debian: apt-get install -y awscli). Nothing checked."
  exit 0
fi

started_pid=""
if [ -z "${SANDBOX_URL:-}" ]; then
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  # node itself (not an npx/tsx wrapper), so that $! is the process to stop at the end.
  SANDBOX_PORT=$port SANDBOX_LOOKUP_RPS=0 node --import tsx sandbox/src/main.ts >/tmp/cli-check-sandbox.log 2>&1 &
  started_pid=$!
  SANDBOX_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 50); do curl -sf "$SANDBOX_URL/_sandbox/health" >/dev/null 2>&1 && break; sleep 0.2; done
fi
cleanup() { [ -n "$started_pid" ] && kill "$started_pid" 2>/dev/null; }
trap cleanup EXIT

export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE
pass=0; fail=0; skip=0
AWS=""

# ok NAME -- command...: must exit 0 with JSON (or empty) output.
ok() {
  local name=$1; shift; shift
  local out err rc
  out=$("$AWS" --endpoint-url "$SANDBOX_URL" "$@" 2>/tmp/cli-check.err); rc=$?; err=$(cat /tmp/cli-check.err)
  if [ $rc -eq 0 ]; then pass=$((pass+1)); echo "  ok    $name"; LAST="$out"; return 0; fi
  if grep -q -e "Unknown options" -e "Invalid choice" -e "Unknown parameter" <<<"$err"; then
    skip=$((skip+1)); echo "  skip  $name (this CLI does not know: $(grep -o -e 'Unknown options:.*' -e 'Invalid choice.*' -e 'Unknown parameter.*' <<<"$err" | head -1))"; LAST=""; return 1
  fi
  fail=$((fail+1)); echo "  FAIL  $name (rc=$rc) $err"; LAST=""; return 1
}

# err NAME CODE -- command...: must fail and print AWS's parsed "An error occurred (CODE)".
err() {
  local name=$1 code=$2; shift 3
  local e rc
  "$AWS" --endpoint-url "$SANDBOX_URL" "$@" >/dev/null 2>/tmp/cli-check.err; rc=$?; e=$(cat /tmp/cli-check.err)
  if [ $rc -ne 0 ] && grep -q "An error occurred ($code)" <<<"$e"; then
    pass=$((pass+1)); echo "  ok    $name -> $(grep -o 'An error occurred.*' <<<"$e" | head -1)"
  else
    fail=$((fail+1)); echo "  FAIL  $name expected $code, got rc=$rc: $e"
  fi
}

jsonq() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }

TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"]}]}'
DENY='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2020-01-01T00:00:00Z"}}}]}'

for AWS in "${clis[@]}"; do
  echo "== $("$AWS" --version 2>&1 | head -1)  ($AWS) against $SANDBOX_URL"
  curl -sf -X POST "$SANDBOX_URL/_sandbox/reset" >/dev/null
  U=cli-alice
  ok "iam create-user" -- iam create-user --user-name $U --tags Key=team,Value=demo
  ok "iam get-user" -- iam get-user --user-name $U
  ok "iam list-users (paginated by the CLI)" -- iam list-users --page-size 1
  ok "iam list-users --path-prefix" -- iam list-users --path-prefix /
  ok "iam tag-user" -- iam tag-user --user-name $U --tags Key=env,Value=dev
  ok "iam list-user-tags" -- iam list-user-tags --user-name $U
  ok "iam attach-user-policy" -- iam attach-user-policy --user-name $U --policy-arn arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess
  ok "iam list-attached-user-policies" -- iam list-attached-user-policies --user-name $U
  ok "iam get-policy" -- iam get-policy --policy-arn arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess
  ok "iam put-user-policy" -- iam put-user-policy --user-name $U --policy-name deny-old --policy-document "$DENY"
  if ok "iam get-user-policy" -- iam get-user-policy --user-name $U --policy-name deny-old; then
    echo "        document effect: $(jsonq 'd["PolicyDocument"]["Statement"][0]["Effect"] if isinstance(d["PolicyDocument"], dict) else "url-encoded"' <<<"$LAST")"
  fi
  ok "iam list-user-policies" -- iam list-user-policies --user-name $U
  ok "iam create-service-specific-credential --credential-age-days" -- iam create-service-specific-credential --user-name $U --service-name bedrock.amazonaws.com --credential-age-days 30
  if ok "iam create-service-specific-credential" -- iam create-service-specific-credential --user-name $U --service-name bedrock.amazonaws.com; then
    ID=$(jsonq 'd["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]' <<<"$LAST")
    echo "        ServiceCredentialSecret in the CLI output: $(jsonq '"ServiceCredentialSecret" in d["ServiceSpecificCredential"]' <<<"$LAST") (an older CLI model drops fields it does not know)"
  fi
  # Top up to the limit of two (a CLI without --credential-age-days skipped one), then a third must fail.
  n=$("$AWS" --endpoint-url "$SANDBOX_URL" iam list-service-specific-credentials --user-name $U --query 'length(ServiceSpecificCredentials)' --output text)
  [ "$n" -lt 2 ] && "$AWS" --endpoint-url "$SANDBOX_URL" iam create-service-specific-credential --user-name $U --service-name bedrock.amazonaws.com >/dev/null
  err "iam create-service-specific-credential (third)" "LimitExceeded" -- iam create-service-specific-credential --user-name $U --service-name bedrock.amazonaws.com
  ok "iam list-service-specific-credentials --user-name" -- iam list-service-specific-credentials --user-name $U --service-name bedrock.amazonaws.com
  ok "iam list-service-specific-credentials --all-users" -- iam list-service-specific-credentials --all-users --service-name bedrock.amazonaws.com --max-items 1
  if [ -n "${ID:-}" ]; then
    ok "iam update-service-specific-credential" -- iam update-service-specific-credential --user-name $U --service-specific-credential-id "$ID" --status Inactive
    ok "iam reset-service-specific-credential" -- iam reset-service-specific-credential --user-name $U --service-specific-credential-id "$ID"
    ok "iam delete-service-specific-credential" -- iam delete-service-specific-credential --user-name $U --service-specific-credential-id "$ID"
  fi
  if ok "iam create-access-key" -- iam create-access-key --user-name $U; then
    AK=$(jsonq 'd["AccessKey"]["AccessKeyId"]' <<<"$LAST")
    ok "iam list-access-keys" -- iam list-access-keys --user-name $U
    ok "iam update-access-key" -- iam update-access-key --user-name $U --access-key-id "$AK" --status Inactive
    ok "iam delete-access-key" -- iam delete-access-key --user-name $U --access-key-id "$AK"
  fi
  ok "iam create-role" -- iam create-role --role-name cli-role --assume-role-policy-document "$TRUST"
  ok "iam get-role" -- iam get-role --role-name cli-role
  ok "iam put-role-policy" -- iam put-role-policy --role-name cli-role --policy-name p --policy-document "$DENY"
  ok "iam attach-role-policy" -- iam attach-role-policy --role-name cli-role --policy-arn arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess
  ok "iam list-attached-role-policies" -- iam list-attached-role-policies --role-name cli-role
  ok "sts get-caller-identity" -- sts get-caller-identity
  if ok "sts assume-role" -- sts assume-role --role-arn arn:aws:iam::123456789012:role/cli-role --role-session-name cli-session --source-identity cli-alice --duration-seconds 900; then
    read -r TAK TSK TST < <(jsonq '" ".join([d["Credentials"]["AccessKeyId"], d["Credentials"]["SecretAccessKey"], d["Credentials"]["SessionToken"]])' <<<"$LAST")
    if AWS_ACCESS_KEY_ID=$TAK AWS_SECRET_ACCESS_KEY=$TSK AWS_SESSION_TOKEN=$TST "$AWS" --endpoint-url "$SANDBOX_URL" sts get-caller-identity --query Arn --output text 2>&1 | grep -q assumed-role/cli-role/cli-session; then
      pass=$((pass+1)); echo "  ok    sts get-caller-identity with the assumed-role credentials"
    else fail=$((fail+1)); echo "  FAIL  sts get-caller-identity with the assumed-role credentials"; fi
  fi
  ok "cloudtrail lookup-events" -- cloudtrail lookup-events --max-results 5
  ok "cloudtrail lookup-events --lookup-attributes" -- cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateUser
  err "iam get-user (missing)" "NoSuchEntity" -- iam get-user --user-name does-not-exist
  err "iam create-user (duplicate)" "EntityAlreadyExists" -- iam create-user --user-name $U
  err "iam create-user (bad name)" "ValidationError" -- iam create-user --user-name "bad name"
  err "iam delete-user (policies attached)" "DeleteConflict" -- iam delete-user --user-name $U
  err "sts assume-role (too long)" "ValidationError" -- sts assume-role --role-arn arn:aws:iam::123456789012:role/cli-role --role-session-name s2 --duration-seconds 7200
  # CloudTrail is awsQueryCompatible: botocore reports the x-amzn-query-error code.
  err "cloudtrail lookup-events (two attributes)" "InvalidLookupAttributes" -- cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=A AttributeKey=Username,AttributeValue=B
  AWS_SECRET_ACCESS_KEY=wrongwrongwrongwrongwrongwrongwrongwrong err "iam list-users (wrong secret)" "SignatureDoesNotMatch" -- iam list-users
  AWS_ACCESS_KEY_ID=AKIAAAAAAAAAAAAAAAAA err "sts get-caller-identity (unknown key)" "InvalidClientTokenId" -- sts get-caller-identity
done

# boto3 (same botocore as the v1 CLI, but through the Python API) when it is installed.
if python3 -c "import boto3" 2>/dev/null; then
  echo "== boto3 $(python3 -c 'import boto3; print(boto3.__version__)') against $SANDBOX_URL"
  curl -sf -X POST "$SANDBOX_URL/_sandbox/reset" >/dev/null
  curl -sf -X POST "$SANDBOX_URL/_sandbox/throttle" -d '{"lookupEventsPerSecond":2}' >/dev/null
  if SANDBOX_URL=$SANDBOX_URL python3 - <<'PY'
import os, boto3, botocore.config, botocore.exceptions
url = os.environ["SANDBOX_URL"]
cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"})
iam = boto3.client("iam", endpoint_url=url, region_name="us-east-1", config=cfg)
ct = boto3.client("cloudtrail", endpoint_url=url, region_name="us-east-1", config=cfg)
iam.create_user(UserName="boto-user")
c = iam.create_service_specific_credential(UserName="boto-user", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=7)["ServiceSpecificCredential"]
assert c["ServiceCredentialSecret"].startswith("ABSK") and "ExpirationDate" in c, c
listed = iam.list_service_specific_credentials(AllUsers=True, ServiceName="bedrock.amazonaws.com")["ServiceSpecificCredentials"]
assert [x["ServiceSpecificCredentialId"] for x in listed] == [c["ServiceSpecificCredentialId"]], listed
try:
    iam.get_user(UserName="nobody"); raise SystemExit("expected NoSuchEntity")
except iam.exceptions.NoSuchEntityException as e:
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 404
codes = []
for _ in range(3):
    try:
        ct.lookup_events(MaxResults=1)
        codes.append("ok")
    except botocore.exceptions.ClientError as e:
        codes.append(e.response["Error"]["Code"])
assert codes.count("ThrottlingException") == 1, codes
print("  ok    boto3: create/list service-specific credentials (AllUsers), NoSuchEntity (404), LookupEvents throttling:", codes)
PY
  then pass=$((pass+1)); else fail=$((fail+1)); echo "  FAIL  boto3 checks"; fi
  curl -sf -X POST "$SANDBOX_URL/_sandbox/throttle" -d '{"lookupEventsPerSecond":0}' >/dev/null
fi

echo "cli-check: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
