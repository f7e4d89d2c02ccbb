"""Drives a Cognate server through boto3, an independent SigV4 and AWS JSON 1.1 implementation.

Usage: python3 boto3_client.py ENDPOINT REGION ACCESS_KEY_ID SECRET_ACCESS_KEY

Prints one JSON object: what each step answered (values, or the error code and message botocore
parsed), for test/interop/boto3.test.ts to check. Exits 0 whenever the steps ran.
"""

import datetime
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

PASSWORD = "Interop-Passw0rd!"


def client(endpoint, region, key, secret):
    return boto3.client(
        "cognito-idp",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )


def plain(value):
    """JSON-friendly copy of a boto3 answer: datetimes as ISO text, no response metadata."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    return value


def attempt(call):
    try:
        return {"ok": plain(call())}
    except ClientError as e:
        return {
            "error": e.response["Error"]["Code"],
            "message": e.response["Error"]["Message"],
            "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
        }


def main():
    endpoint, region, key, secret = sys.argv[1:5]
    idp = client(endpoint, region, key, secret)
    out = {}

    pool = idp.create_user_pool(PoolName="boto3-interop")["UserPool"]
    pool_id = pool["Id"]
    out["pool"] = plain(pool)
    app = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="boto3",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    client_id = app["ClientId"]
    out["client"] = plain(app)

    out["createUser"] = attempt(
        lambda: idp.admin_create_user(
            UserPoolId=pool_id,
            Username="carol",
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": "carol@example.com"}],
        )["User"]
    )
    idp.admin_set_user_password(UserPoolId=pool_id, Username="carol", Password=PASSWORD, Permanent=True)
    idp.create_group(UserPoolId=pool_id, GroupName="editors", Precedence=3)
    idp.admin_add_user_to_group(UserPoolId=pool_id, Username="carol", GroupName="editors")

    out["getUser"] = attempt(lambda: idp.admin_get_user(UserPoolId=pool_id, Username="carol"))
    out["listUsers"] = attempt(lambda: idp.list_users(UserPoolId=pool_id))
    out["groupsForUser"] = attempt(lambda: idp.admin_list_groups_for_user(UserPoolId=pool_id, Username="carol"))

    auth = attempt(
        lambda: idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD},
        )
    )
    out["signIn"] = {"ok": {"hasTokens": bool(auth.get("ok", {}).get("AuthenticationResult"))}} if "ok" in auth else auth
    if "ok" in auth:
        access_token = auth["ok"]["AuthenticationResult"]["AccessToken"]
        # A public operation: botocore sends it unsigned.
        out["selfGetUser"] = attempt(lambda: idp.get_user(AccessToken=access_token))

    out["wrongPassword"] = attempt(
        lambda: idp.admin_initiate_auth(
            UserPoolId=pool_id,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "carol", "PASSWORD": "not-the-password"},
        )
    )
    out["missingUser"] = attempt(lambda: idp.admin_get_user(UserPoolId=pool_id, Username="nobody"))
    out["wrongSecret"] = attempt(lambda: client(endpoint, region, key, secret + "x").list_user_pools(MaxResults=5))
    out["unknownKey"] = attempt(lambda: client(endpoint, region, key + "X", secret).list_user_pools(MaxResults=5))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
