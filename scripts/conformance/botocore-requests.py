"""
Prints, as JSON, one wire request per operation of the installed botocore models of
S3, IAM, STS and DynamoDB: botocore's own serializer builds each request from the
operation's required parameters (test/botocore-routing.test.ts sends them to the
emulator and checks that each is served as itself, or answered 501 naming it).

Usage: python3 botocore-requests.py <bucket> <key>
"""
import base64
import datetime
import json
import sys

import botocore
import botocore.session
from botocore import serialize

SERVICES = ["s3", "iam", "sts", "dynamodb"]


def value_for(shape, name, context, depth=0):
    """A value that satisfies the shape's type, length and enum, with recognisable names."""
    kind = shape.type_name
    if kind == "structure":
        if depth > 6:
            return {}
        return {
            member: value_for(shape.members[member], member, context, depth + 1)
            for member in shape.required_members
        }
    if kind == "list":
        return [value_for(shape.member, name, context, depth + 1)]
    if kind == "map":
        return {"k": value_for(shape.value, name, context, depth + 1)}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        if name in context:
            return context[name]
        minimum = shape.metadata.get("min", 1)
        return ("routing" + "x" * minimum)[: max(minimum, 7)]
    if kind in ("integer", "long"):
        return max(shape.metadata.get("min", 1), 1)
    if kind in ("float", "double"):
        return 1.0
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    if kind == "blob":
        return b"routing-body"
    raise ValueError(f"no value for shape type {kind}")


def encode_body(body):
    if body is None:
        return ""
    if isinstance(body, dict):  # query protocol: the form parameters
        from urllib.parse import urlencode

        return base64.b64encode(urlencode(body).encode()).decode()
    if isinstance(body, str):
        body = body.encode()
    if hasattr(body, "read"):
        body = body.read()
    return base64.b64encode(bytes(body)).decode()


def main():
    bucket, key = sys.argv[1], sys.argv[2]
    context = {
        "Bucket": bucket,
        "Key": key,
        "CopySource": f"{bucket}/{key}",
        "RenameSource": f"/{bucket}/{key}",
    }
    session = botocore.session.get_session()
    out = {"botocoreVersion": botocore.__version__, "requests": []}
    for service in SERVICES:
        model = session.get_service_model(service)
        serializer = serialize.create_serializer(model.metadata["protocol"], include_validation=False)
        for operation in model.operation_names:
            op_model = model.operation_model(operation)
            params = value_for(op_model.input_shape, "", context) if op_model.input_shape else {}
            request = serializer.serialize_to_request(params, op_model)
            query = request["query_string"]
            if isinstance(query, dict):
                from urllib.parse import quote

                query = "&".join(
                    f"{quote(k, safe='-_.~')}={quote(str(v), safe='-_.~')}" if v is not None and v != "" else quote(k, safe="-_.~")
                    for k, v in query.items()
                )
            out["requests"].append(
                {
                    "service": service,
                    "signingName": model.signing_name,
                    "protocol": model.metadata["protocol"],
                    "operation": operation,
                    "deprecated": bool(op_model.deprecated),
                    "method": request["method"],
                    "path": request["url_path"],
                    "query": query,
                    "headers": {k: str(v) for k, v in request["headers"].items()},
                    "body": encode_body(request["body"]),
                }
            )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
