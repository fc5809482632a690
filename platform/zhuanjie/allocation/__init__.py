"""统筹分配: limited places allocated across a region's open needs, proposed to caseworkers."""
