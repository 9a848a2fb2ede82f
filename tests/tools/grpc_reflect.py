#!/usr/bin/python3
"""A small grpcurl stand-in built only on server reflection.

grpcurl is not packaged for Debian; this does what the tests and operators
need from it, knowing nothing of the service but what reflection tells:

  grpc_reflect.py ADDRESS list
  grpc_reflect.py ADDRESS describe SERVICE
  grpc_reflect.py [-H 'name: value']... ADDRESS call SERVICE/METHOD [JSON]

A failed call prints, on stderr, one JSON object with the code, the message
and, as grpcurl does, the error details (google.rpc.Status in the trailer
grpc-status-details-bin), each decoded with the types reflection describes.

Needs Debian's python3-grpcio, python3-grpc-tools and grpc-proto.
"""
import argparse
import importlib
import importlib.util
import json
import os
import sys
import tempfile

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format
from google.protobuf import message_factory

REFLECTION_PROTO = "grpc/reflection/v1alpha/reflection.proto"
GRPC_PROTO_DIR = "/usr/share/grpc-proto"


def reflection_pb2():
    from grpc_tools import protoc
    out = tempfile.mkdtemp(prefix="grpc-reflect-")
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    if protoc.main(["protoc", f"-I{GRPC_PROTO_DIR}", f"-I{include}",
                    f"--python_out={out}", REFLECTION_PROTO]) != 0:
        sys.exit("cannot compile reflection.proto (install grpc-proto)")
    path = os.path.join(out, REFLECTION_PROTO.replace(".proto", "_pb2.py"))
    spec = importlib.util.spec_from_file_location("reflection_pb2", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Reflector:
    def __init__(self, channel):
        self.pb = reflection_pb2()
        self.call = channel.stream_stream(
            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
            request_serializer=self.pb.ServerReflectionRequest.SerializeToString,
            response_deserializer=self.pb.ServerReflectionResponse.FromString)
        self.pool = descriptor_pool.DescriptorPool()
        self.loaded = set()

    def ask(self, **kwargs):
        responses = list(self.call(iter([self.pb.ServerReflectionRequest(**kwargs)])))
        resp = responses[0]
        if resp.HasField("error_response"):
            sys.exit(f"reflection error: {resp.error_response.error_message}")
        return resp

    def services(self):
        resp = self.ask(list_services="")
        return [s.name for s in resp.list_services_response.service]

    def load_symbol(self, symbol):
        resp = self.ask(file_containing_symbol=symbol)
        self.add_files(resp.file_descriptor_response.file_descriptor_proto)

    def add_files(self, blobs):
        files = [descriptor_pb2.FileDescriptorProto.FromString(b) for b in blobs]
        by_name = {f.name: f for f in files}

        def add(f):
            if f.name in self.loaded:
                return
            for dep in f.dependency:
                if dep in by_name:
                    add(by_name[dep])
                elif dep not in self.loaded:
                    resp = self.ask(file_by_filename=dep)
                    self.add_files(resp.file_descriptor_response.file_descriptor_proto)
            self.pool.Add(f)
            self.loaded.add(f.name)

        for f in files:
            add(f)

    def method(self, full):
        service, _, name = full.partition("/")
        self.load_symbol(service)
        return self.pool.FindServiceByName(service).FindMethodByName(name)


def message_class(descriptor):
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory().GetPrototype(descriptor)


def error_details(reflector, error):
    """The details of a failed call as dicts with "@type", decoded by reflection."""
    blob = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
    if not blob:
        return []
    reflector.load_symbol("google.rpc.Status")
    status_cls = message_class(reflector.pool.FindMessageTypeByName("google.rpc.Status"))
    details = []
    for any_detail in status_cls.FromString(blob).details:
        name = any_detail.type_url.rpartition("/")[2]
        reflector.load_symbol(name)
        cls = message_class(reflector.pool.FindMessageTypeByName(name))
        decoded = json_format.MessageToDict(cls.FromString(any_detail.value))
        details.append({"@type": any_detail.type_url, **decoded})
    return details


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-H", dest="headers", action="append", default=[],
                        help="metadata 'name: value'")
    parser.add_argument("address")
    parser.add_argument("verb", choices=["list", "describe", "call"])
    parser.add_argument("target", nargs="?")
    parser.add_argument("body", nargs="?", default="{}")
    args = parser.parse_args()

    channel = grpc.insecure_channel(args.address)
    reflector = Reflector(channel)
    if args.verb == "list":
        for name in sorted(reflector.services()):
            print(name)
        return 0
    if args.verb == "describe":
        reflector.load_symbol(args.target)
        service = reflector.pool.FindServiceByName(args.target)
        for m in service.methods:
            print(f"rpc {m.name}({m.input_type.full_name}) returns "
                  f"({m.output_type.full_name})")
        return 0

    method = reflector.method(args.target)
    request_cls = message_class(method.input_type)
    response_cls = message_class(method.output_type)
    request = json_format.Parse(args.body, request_cls())
    metadata = []
    for h in args.headers:
        name, _, value = h.partition(":")
        metadata.append((name.strip().lower(), value.strip()))
    path = f"/{method.containing_service.full_name}/{method.name}"
    stub = channel.unary_unary(path, request_serializer=request_cls.SerializeToString,
                               response_deserializer=response_cls.FromString)
    try:
        response = stub(request, metadata=metadata, timeout=30)
    except grpc.RpcError as e:
        print(json.dumps({"code": e.code().name, "message": e.details(),
                          "details": error_details(reflector, e)}, indent=2),
              file=sys.stderr)
        return 1
    print(json_format.MessageToJson(response, preserving_proto_field_name=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
