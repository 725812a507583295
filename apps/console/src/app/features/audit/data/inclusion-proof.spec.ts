import {
  auditPath,
  base64,
  checkpoint,
  fakeSha256,
  leaves,
  provenEvent,
  treeHash,
} from '../../../../testing/audit';
import { checkInclusionProof, rootFromInclusionProof } from './inclusion-proof';

describe('inclusion proofs (RFC 9162 §2.1.3.2)', () => {
  it('re-computes the root for every leaf of trees of 1 to 17 leaves', async () => {
    for (let size = 1; size <= 17; size++) {
      const hashes = await leaves(size);
      const root = await treeHash(hashes);
      for (let index = 0; index < size; index++) {
        const path = await auditPath(index, hashes);
        const computed = await rootFromInclusionProof(
          fakeSha256,
          index,
          size,
          hashes[index]!,
          path,
        );
        expect(computed && base64(computed)).toBe(base64(root));
      }
    }
  });

  it('refuses a path of the wrong length, or a leaf outside the tree', async () => {
    const hashes = await leaves(6);
    const path = await auditPath(4, hashes);

    expect(await rootFromInclusionProof(fakeSha256, 4, 6, hashes[4]!, path.slice(1))).toBeNull();
    expect(
      await rootFromInclusionProof(fakeSha256, 4, 6, hashes[4]!, [...path, hashes[0]!]),
    ).toBeNull();
    expect(await rootFromInclusionProof(fakeSha256, 6, 6, hashes[4]!, path)).toBeNull();
  });

  it('matches a proof that leads to the signed root', async () => {
    const { proof, checkpoint: signed } = await provenEvent(9, 11);
    expect(await checkInclusionProof(fakeSha256, 9, proof, signed)).toBe('match');
  });

  it('flags a proof for another event, another size, a changed leaf or another root', async () => {
    const { proof, checkpoint: signed } = await provenEvent(9, 11);
    const other = await provenEvent(8, 11);

    expect(await checkInclusionProof(fakeSha256, 8, proof, signed)).toBe('mismatch');
    expect(await checkInclusionProof(fakeSha256, 9, { ...proof, treeSize: 12 }, signed)).toBe(
      'mismatch',
    );
    expect(
      await checkInclusionProof(
        fakeSha256,
        9,
        { ...proof, leafHash: other.proof.leafHash },
        signed,
      ),
    ).toBe('mismatch');
    expect(await checkInclusionProof(fakeSha256, 9, proof, checkpoint({ treeSize: 11 }))).toBe(
      'mismatch',
    );
  });

  it('leaves a proof unchecked without Web Crypto, or with hashes it cannot read', async () => {
    const { proof, checkpoint: signed } = await provenEvent(2, 5);

    expect(await checkInclusionProof(null, 2, proof, signed)).toBe('unchecked');
    expect(
      await checkInclusionProof(fakeSha256, 2, { ...proof, leafHash: 'not base64!' }, signed),
    ).toBe('unchecked');
    expect(await checkInclusionProof(fakeSha256, 2, { ...proof, proof: ['AAAA'] }, signed)).toBe(
      'unchecked',
    );
  });
});
