package crm_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"

	crmv1 "github.com/strongertogether/community/adapters/crm/proto/v1"
)

// Protocol v1 is released and frozen: the descriptor compiled into the
// generated code must equal the committed image proto/v1/crm.binpb
// (protoc --descriptor_set_out). Any change to v1/crm.proto, once
// regenerated (the staleness check in .ci/run insists), fails here;
// changes go into a new version.
func TestProtocolV1Frozen(t *testing.T) {
	b, err := os.ReadFile("proto/v1/crm.binpb")
	require.NoError(t, err)
	var set descriptorpb.FileDescriptorSet
	require.NoError(t, proto.Unmarshal(b, &set))
	require.Len(t, set.File, 1)
	frozen := set.File[0]
	frozen.SourceCodeInfo = nil

	got := protodesc.ToFileDescriptorProto(crmv1.File_v1_crm_proto)
	got.SourceCodeInfo = nil
	if !proto.Equal(frozen, got) {
		t.Fatalf("protocol v1 changed: a released .proto is frozen; put changes in v2.\nfrozen:\n%s\nnow:\n%s",
			prototext.Format(frozen), prototext.Format(got))
	}
}

// The freeze check can fail: a descriptor with one field renamed differs
// from the image.
func TestProtocolV1FreezeDetectsChange(t *testing.T) {
	got := protodesc.ToFileDescriptorProto(crmv1.File_v1_crm_proto)
	changed := proto.Clone(got).(*descriptorpb.FileDescriptorProto)
	for _, m := range changed.MessageType {
		if m.GetName() == "Record" {
			m.Field[0].Name = proto.String("record_kind")
		}
	}
	require.False(t, proto.Equal(got, changed))
}
